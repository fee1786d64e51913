// Posts Arrow IPC streams built with apache-arrow to the server's process route and prints what came back as
// one JSON object, for NodeArrowInteropTest to compare with its float64 reference.
// Usage: node arrow-client.mjs BASE_URL ROWS
import { Float32, Table, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';

const [base, rowsText] = process.argv.slice(2);
const rows = Number(rowsText);
const ARROW = 'application/vnd.apache.arrow.stream';

/** Non-zero values in [-2, 2), every seventh row null when withNulls. */
function column(seed, withNulls) {
  let state = seed;
  const values = [];
  for (let i = 0; i < rows; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const v = (state / 2147483648) * 4 - 2;
    values.push(withNulls && i % 7 === 3 ? null : Math.fround(v === 0 ? 0.5 : v));
  }
  return values;
}

async function post(path, body) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': ARROW, Accept: ARROW },
    body,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get('content-type'), bytes };
}

/** The answer's one column: its name, its type, and the values of every batch in order (null stays null). */
function decode(answer) {
  if (answer.status !== 200) {
    return { status: answer.status, error: new TextDecoder().decode(answer.bytes) };
  }
  const table = tableFromIPC(answer.bytes);
  const field = table.schema.fields[0];
  return {
    status: answer.status,
    content_type: answer.type,
    columns: table.schema.fields.length,
    name: field.name,
    type: String(field.type),
    batches: table.batches.length,
    values: Array.from(table.getChildAt(0), (v) => (v === null ? null : Number(v))),
  };
}

const x = column(7, true);
const squareTable = new Table({ x: vectorFromArray(x, new Float32()) });
const square = decode(await post('/api/kernels/square/process', tableToIPC(squareTable, 'stream')));

const a = column(11, false);
const b = column(13, false);
// y before x: the server maps the columns by name.
const saxpyTable = new Table({ y: vectorFromArray(b, new Float32()), x: vectorFromArray(a, new Float32()) });
const saxpy = decode(await post('/api/kernels/saxpy/process?alpha=-1.5', tableToIPC(saxpyTable, 'stream')));

const cut = tableToIPC(squareTable, 'stream');
const malformed = await post('/api/kernels/square/process', cut.subarray(0, cut.length - 12));

console.log(JSON.stringify({
  square: { input: x, ...square },
  saxpy: { x: a, y: b, ...saxpy },
  malformed: { status: malformed.status, body: new TextDecoder().decode(malformed.bytes) },
}));
