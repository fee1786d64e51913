// An Open Inference Protocol v2 client in Node (@grpc/grpc-js), for the interop test: it loads the protocol from
// open_inference_v2.proto beside it (the test's own statement of the protocol, not the server's .proto), calls
// ServerLive, ModelMetadata, ModelInfer with typed and with raw tensors, and ModelStreamInfer with many requests,
// and prints one JSON summary on stdout for the Java test to check. Any failed call ends it with exit status 1.
//
// Usage: node oip-client.mjs PORT [STREAM_REQUESTS]
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const port = process.argv[2];
const streamRequests = Number(process.argv[3] ?? 1000);
if (!port) {
  console.error('usage: node oip-client.mjs PORT [STREAM_REQUESTS]');
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const definition = protoLoader.loadSync(path.join(here, 'open_inference_v2.proto'),
  { keepCase: true, longs: Number, defaults: true, oneofs: true });
const { inference } = grpc.loadPackageDefinition(definition);
const client = new inference.GRPCInferenceService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

const deadline = () => new Date(Date.now() + 20_000);
const unary = (method, request) => new Promise((resolve, reject) =>
  client[method](request, { deadline: deadline() }, (error, response) =>
    error ? reject(new Error(`${method}: ${error.code} ${error.details}`)) : resolve(response)));

const littleEndian = (values) => {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
};
const fromLittleEndian = (bytes) =>
  Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));

// The values each stream request i sends: distinct per request, so a reply matched to the wrong id shows.
const streamInput = (i) => [i / 8, -i / 3, 1.5, i % 7];

function stream(count) {
  return new Promise((resolve, reject) => {
    const call = client.ModelStreamInfer({ deadline: new Date(Date.now() + 60_000) });
    const replies = new Map();
    const summary = { sent: 0, received: 0, duplicates: 0, unknown_ids: 0, errors: [], results: {} };
    call.on('data', (reply) => {
      summary.received++;
      const id = reply.infer_response ? reply.infer_response.id : '';
      if (reply.error_message) {
        summary.errors.push(`${id}: ${reply.error_message}`);
        return;
      }
      if (!id.startsWith('s-') || Number(id.slice(2)) >= count) {
        summary.unknown_ids++;
      } else if (replies.has(id)) {
        summary.duplicates++;
      } else {
        const output = reply.infer_response.outputs[0];
        replies.set(id, { input: streamInput(Number(id.slice(2))), output: output.contents.fp32_contents });
      }
    });
    call.on('error', (error) => reject(new Error(`ModelStreamInfer: ${error.code} ${error.details}`)));
    call.on('end', () => {
      summary.results = Object.fromEntries(replies);
      resolve(summary);
    });
    // Writes as fast as the stream takes them: write() returning false means wait for 'drain'.
    let next = 0;
    const writeMore = () => {
      while (next < count) {
        const i = next++;
        const ok = call.write({
          model_name: 'square', id: `s-${i}`,
          inputs: [{ name: 'x', datatype: 'FP32', shape: [4], contents: { fp32_contents: streamInput(i) } }],
        });
        summary.sent++;
        if (!ok) {
          call.once('drain', writeMore);
          return;
        }
      }
      call.end();
    };
    writeMore();
  });
}

try {
  const live = await unary('ServerLive', {});
  const metadata = await unary('ModelMetadata', { name: 'square' });
  const typedInput = [0.5, -1.25, 2, 3.5, -0.75, 1e-3, 1e3, -7];
  const typed = await unary('ModelInfer', {
    model_name: 'square', id: 'node-typed',
    inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 4], contents: { fp32_contents: typedInput } }],
  });
  const rawInput = [3, -0.5, 0.1, 12345.678];
  const raw = await unary('ModelInfer', {
    model_name: 'square', id: 'node-raw',
    inputs: [{ name: 'x', datatype: 'FP32', shape: [4] }],
    raw_input_contents: [littleEndian(rawInput)],
  });
  const streamed = await stream(streamRequests);
  const tensor = (t) => ({ name: t.name, datatype: t.datatype, shape: t.shape });
  console.log(JSON.stringify({
    live: live.live,
    metadata: { name: metadata.name, versions: metadata.versions, platform: metadata.platform,
      inputs: metadata.inputs.map(tensor), outputs: metadata.outputs.map(tensor) },
    typed: { id: typed.id, model: typed.model_name, input: typedInput,
      output: { ...tensor(typed.outputs[0]), values: typed.outputs[0].contents?.fp32_contents ?? [] },
      raw_outputs: typed.raw_output_contents.length },
    raw: { id: raw.id, input: rawInput, output: { ...tensor(raw.outputs[0]),
      values: raw.raw_output_contents.length ? fromLittleEndian(raw.raw_output_contents[0]) : [] } },
    stream: streamed,
  }));
  client.close();
} catch (error) {
  console.error(error.message);
  client.close();
  process.exit(1);
}
