/**
 * One base class for the service's own failures, each with a machine-readable code, so callers
 * (the API's error mapping, commands, tests) branch on `code` rather than on message text.
 * Subclasses live beside the code that throws them and document when they are thrown.
 */
export enum ErrorCode {
  /** The environment does not parse: every problem is listed (ConfigError). */
  ConfigInvalid = "CONFIG_INVALID",
  /** The data source (TikLiveAPI or a dump folder) failed or answered malformed JSON (SourceError). */
  SourceFailed = "SOURCE_FAILED",
  /** An ingestion run was asked for while one is running (RunInProgressError). */
  RunInProgress = "RUN_IN_PROGRESS",
  /** The Weaviate store holds less than it did (StoreDataLostError). */
  StoreDataLost = "STORE_DATA_LOST",
  /** The Weaviate data folder is not a folder, not writable or on a full disk (DataDirError). */
  DataDirUnusable = "DATA_DIR_UNUSABLE",
  /** A backup or restore failed (BackupError). */
  BackupFailed = "BACKUP_FAILED",
  /** The live Weaviate schema differs from weaviate/classes/ (SchemaMismatchError). */
  SchemaMismatch = "SCHEMA_MISMATCH",
  /** A request body exceeded the HTTP limit. */
  BodyTooLarge = "BODY_TOO_LARGE",
  /** The event store's PostgreSQL is down, unreachable, misconfigured or its data folder unusable (EventStoreUnavailableError). */
  EventStoreUnavailable = "EVENT_STORE_UNAVAILABLE",
  /** An encoder model's inputs, outputs or dimension do not fit the encoder (EncoderContractError). */
  EncoderContractBroken = "ENCODER_CONTRACT_BROKEN",
  /** The store's vectors came from another encoder than the one configured (StoreEncoderMismatchError). */
  StoreEncoderMismatch = "STORE_ENCODER_MISMATCH",
  /** ONNX_PROVIDER=cuda where CUDA does not really serve the model (ExecutionProviderError). */
  ExecutionProviderUnavailable = "EXECUTION_PROVIDER_UNAVAILABLE",
}

export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
