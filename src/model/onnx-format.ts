/**
 * The small part of the ONNX file format (a protobuf `ModelProto`) this project writes and
 * reads: a graph of nodes with tensor initializers, typed inputs and outputs, and string
 * metadata. Field numbers follow onnx.proto (IR version 8). Encoding uses protobufjs's
 * writer and reader; no schema compilation is needed for so few messages.
 */
import pb from 'protobufjs/minimal.js';

/** Element types used here (onnx.proto TensorProto.DataType). */
export const OnnxType = { float: 1, int32: 6, int64: 7 } as const;
export type OnnxTypeName = keyof typeof OnnxType;

/** A constant tensor stored in the file. */
export interface OnnxInitializer {
  readonly name: string;
  readonly type: OnnxTypeName;
  readonly dims: readonly number[];
  readonly data: Float32Array | Int32Array | BigInt64Array;
}

/** A graph input or output; a string dimension is symbolic (any size). */
export interface OnnxValue {
  readonly name: string;
  readonly type: OnnxTypeName;
  readonly dims: readonly (number | string)[];
}

/** One operator application. Integer attributes only (all this project needs). */
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
}

/** A whole model. */
export interface OnnxModel {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  /** Default-domain operator set version. */
  readonly opset: number;
  readonly producer: string;
  /** String key/value pairs (ModelProto.metadata_props). */
  readonly metadata: Readonly<Record<string, string>>;
}

const IR_VERSION = 8;
const VARINT = 0;
const BYTES = 2;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;
/** ModelProto.metadata_props. */
const MODEL_METADATA = 14;

const tag = (field: number, wire: number) => (field << 3) | wire;

function writeValue(w: pb.Writer, field: number, v: OnnxValue): void {
  w.uint32(tag(field, BYTES)).fork();
  w.uint32(tag(1, BYTES)).string(v.name);
  w.uint32(tag(2, BYTES)).fork(); // TypeProto
  w.uint32(tag(1, BYTES)).fork(); // TypeProto.Tensor
  w.uint32(tag(1, VARINT)).int32(OnnxType[v.type]);
  w.uint32(tag(2, BYTES)).fork(); // TensorShapeProto
  for (const d of v.dims) {
    w.uint32(tag(1, BYTES)).fork();
    if (typeof d === 'number') w.uint32(tag(1, VARINT)).int64(d);
    else w.uint32(tag(2, BYTES)).string(d);
    w.ldelim();
  }
  w.ldelim().ldelim().ldelim().ldelim();
}

function writeNode(w: pb.Writer, node: OnnxNode, index: number): void {
  w.uint32(tag(1, BYTES)).fork(); // GraphProto.node
  for (const i of node.inputs) w.uint32(tag(1, BYTES)).string(i);
  for (const o of node.outputs) w.uint32(tag(2, BYTES)).string(o);
  w.uint32(tag(3, BYTES)).string(`${node.op}_${index}`);
  w.uint32(tag(4, BYTES)).string(node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.uint32(tag(5, BYTES)).fork();
    w.uint32(tag(1, BYTES)).string(name);
    if (typeof value === 'number') {
      w.uint32(tag(3, VARINT)).int64(value);
      w.uint32(tag(20, VARINT)).int32(ATTRIBUTE_INT);
    } else {
      for (const v of value) w.uint32(tag(8, VARINT)).int64(v);
      w.uint32(tag(20, VARINT)).int32(ATTRIBUTE_INTS);
    }
    w.ldelim();
  }
  w.ldelim();
}

function writeInitializer(w: pb.Writer, t: OnnxInitializer): void {
  w.uint32(tag(5, BYTES)).fork(); // GraphProto.initializer
  for (const d of t.dims) w.uint32(tag(1, VARINT)).int64(d);
  w.uint32(tag(2, VARINT)).int32(OnnxType[t.type]);
  w.uint32(tag(8, BYTES)).string(t.name);
  // raw_data is little-endian; typed arrays are too on every platform that runs this.
  w.uint32(tag(9, BYTES)).bytes(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  w.ldelim();
}

/** Serialises `model` to the bytes of an .onnx file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = pb.Writer.create();
  w.uint32(tag(1, VARINT)).int64(IR_VERSION);
  w.uint32(tag(2, BYTES)).string(model.producer);
  w.uint32(tag(7, BYTES)).fork(); // GraphProto
  model.nodes.forEach((n, i) => writeNode(w, n, i));
  w.uint32(tag(2, BYTES)).string(model.name);
  for (const t of model.initializers) writeInitializer(w, t);
  for (const v of model.inputs) writeValue(w, 11, v);
  for (const v of model.outputs) writeValue(w, 12, v);
  w.ldelim();
  w.uint32(tag(8, BYTES)).fork(); // OperatorSetIdProto, default domain
  w.uint32(tag(2, VARINT)).int64(model.opset);
  w.ldelim();
  for (const [key, value] of Object.entries(model.metadata)) {
    w.uint32(tag(MODEL_METADATA, BYTES)).fork();
    w.uint32(tag(1, BYTES)).string(key);
    w.uint32(tag(2, BYTES)).string(value);
    w.ldelim();
  }
  return w.finish();
}

/**
 * Reads the metadata_props of an .onnx file without decoding the rest (the runtime loads
 * the graph; this finds what the model file says about itself). Throws on malformed bytes.
 */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const r = pb.Reader.create(bytes);
  const out: Record<string, string> = {};
  while (r.pos < r.len) {
    const t = r.uint32();
    if (t >>> 3 === MODEL_METADATA && (t & 7) === BYTES) {
      const end = r.uint32() + r.pos;
      let key = '';
      let value = '';
      while (r.pos < end) {
        const f = r.uint32();
        if (f >>> 3 === 1) key = r.string();
        else if (f >>> 3 === 2) value = r.string();
        else r.skipType(f & 7);
      }
      out[key] = value;
    } else r.skipType(t & 7);
  }
  return out;
}
