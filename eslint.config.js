// ESLint (flat config): typescript-eslint's recommended rules over the TypeScript sources.
// Formatting is Prettier's job (npm run lint runs both); layering is dependency-cruiser's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-*/", "node_modules/", "models/", ".data/", "eval-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // `_`-prefixed names mark a value deliberately left unused (destructuring a field away).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // weaviate-client's iterator() refetches a page for every object it yields (~50 objects/s).
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='iterator']",
          message:
            "Read every object with everyObject() (src/store/collections/every-object.ts), not iterator().",
        },
      ],
    },
  },
  {
    // Tests read GraphQL answers and hostile payloads as untyped JSON; their assertions check the shape.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: {
      globals: {
        module: "readonly",
        require: "readonly",
        process: "readonly",
        console: "readonly",
        global: "readonly",
      },
    },
  },
);
