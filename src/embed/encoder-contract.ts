import { ErrorCode, ServiceError } from "../platform/errors.js";

/** A model input or output as onnxruntime describes it; dims it does not fix are names. */
export interface PortMeta {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

export type EncoderInput = "input_ids" | "attention_mask" | "token_type_ids";

/** What the encoder feeds a model and which output it reads, decided once when the model loads. */
export interface EncoderContract {
  inputs: EncoderInput[];
  output: string;
  /** True when the output is [batch, sequence, dim] and we mean-pool it; false for a fused [batch, dim]. */
  pool: boolean;
}

/** Thrown when a model's inputs, outputs or dimension do not fit the encoder; the message says which. */
export class EncoderContractError extends ServiceError {
  constructor(modelPath: string, reason: string) {
    super(
      ErrorCode.EncoderContractBroken,
      `${modelPath} cannot serve as the encoder: ${reason}. The encoder needs int64 inputs input_ids and ` +
        "attention_mask (token_type_ids optional, nothing else) and a float output sentence_embedding " +
        "[batch, dim] or a hidden state [batch, sequence, dim] to mean-pool, with dim the store's.",
    );
  }
}

const KNOWN: readonly string[] = ["input_ids", "attention_mask", "token_type_ids"];
const describe = (ports: readonly PortMeta[]) =>
  ports.map((p) => `${p.name} ${p.type}[${p.shape.join(", ")}]`).join(", ");

/**
 * Matches a model to the encoder. Outputs, in order of preference: a fused `sentence_embedding`
 * (our fp32 export, already normalised), `last_hidden_state`, else the one float output of rank 3
 * whose last dim is `dim` (sentence-transformers exports such as paraphrase-MiniLM-L3-v2's name it
 * after a graph node), else the only rank-3 float output when its last dim is symbolic. A last
 * dim that is fixed and not `dim` is refused here; one left symbolic is checked on the first run
 * (checkOutputDims).
 */
export function matchContract(
  modelPath: string,
  inputs: readonly PortMeta[],
  outputs: readonly PortMeta[],
  dim: number,
): EncoderContract {
  const fail = (reason: string) => new EncoderContractError(modelPath, reason);
  const unknown = inputs.filter((i) => !KNOWN.includes(i.name));
  if (unknown.length > 0) throw fail(`it wants inputs we cannot give (${describe(unknown)})`);
  for (const name of ["input_ids", "attention_mask"]) {
    const input = inputs.find((i) => i.name === name);
    if (!input) throw fail(`it has no ${name} input (inputs: ${describe(inputs)})`);
    if (input.type !== "int64") throw fail(`its ${name} is ${input.type}, not int64`);
  }
  const names = inputs.map((i) => i.name as EncoderInput);
  const floats = outputs.filter((o) => o.type === "float32");
  const wrongDim = (o: PortMeta) => typeof o.shape.at(-1) === "number" && o.shape.at(-1) !== dim;
  const fused = floats.find((o) => o.name === "sentence_embedding" && o.shape.length === 2);
  if (fused && !wrongDim(fused)) return { inputs: names, output: fused.name, pool: false };
  const hidden = floats.filter((o) => o.shape.length === 3);
  const symbolic = hidden.length === 1 && typeof hidden[0]!.shape.at(-1) === "string" ? hidden[0] : undefined;
  const pick =
    hidden.find((o) => o.name === "last_hidden_state") ??
    hidden.find((o) => o.shape.at(-1) === dim) ??
    symbolic;
  if (pick && !wrongDim(pick)) return { inputs: names, output: pick.name, pool: true };
  const offered = fused ?? pick ?? hidden[0];
  if (offered)
    throw fail(`its output ${offered.name} is ${offered.shape.at(-1)}-d, the store holds ${dim}-d vectors`);
  throw fail(`no output is a sentence embedding or a hidden state (outputs: ${describe(outputs)})`);
}

/** The dims a run returned must be what the contract promised, before any vector is read from them. */
export function checkOutputDims(
  modelPath: string,
  contract: EncoderContract,
  dims: readonly number[],
  dim: number,
): void {
  const rank = contract.pool ? 3 : 2;
  if (dims.length !== rank || dims.at(-1) !== dim)
    throw new EncoderContractError(
      modelPath,
      `its output ${contract.output} came back with dims [${dims.join(", ")}], expected rank ${rank} ending in ${dim}`,
    );
}
