// Records what LangChain's TokenTextSplitter (@langchain/textsplitters, on js-tiktoken's cl100k_base) returns,
// as the reference for `parallelrag split --splitter token` (SplitTokenGoldenTest). Run from the repository root:
//   npm install --prefix /tmp/lcgold @langchain/textsplitters @langchain/core js-tiktoken
//   NODE_PATH=/tmp/lcgold/node_modules node scripts/golden/langchain-token-splitter.mjs
// Inputs: the texts of the LangChain character/recursive golden cases (with their chunk_size and chunk_overlap
// read as tokens; cases whose overlap is not below the size are skipped, the token splitter rejects them) and
// State of the Union speeches from data/sotu at LangChain's default size (4000/200) and the CLI's (1000/200).
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH ?? "/tmp/lcgold/node_modules", "x.js"));
const { TokenTextSplitter } = require("@langchain/textsplitters");
const { Tiktoken } = require("js-tiktoken/lite");
const cl100k = require("js-tiktoken/ranks/cl100k_base");
const modules = process.env.NODE_PATH ?? "/tmp/lcgold/node_modules";
const version = (name) => JSON.parse(fs.readFileSync(path.join(modules, name, "package.json"), "utf8")).version;
const lcVersion = version("@langchain/textsplitters");
const tkVersion = version("js-tiktoken");

async function split(text, chunkSize, chunkOverlap) {
  const splitter = new TokenTextSplitter({ encodingName: "cl100k_base", chunkSize, chunkOverlap });
  splitter.tokenizer = new Tiktoken(cl100k); // offline: the ranks shipped in js-tiktoken, not a download
  return splitter.splitText(text);
}

const golden = JSON.parse(fs.readFileSync("parallelrag-core/src/test/resources/golden/langchain-text-splitters-1.1.2.json", "utf8"));
const cases = [];
const seen = new Set();
for (const [i, c] of golden.cases.entries()) {
  const size = c.params.chunk_size, overlap = c.params.chunk_overlap ?? 0;
  const key = c.text + "\u0000" + size + "/" + overlap;
  if (overlap >= size || seen.has(key)) continue;
  seen.add(key);
  cases.push({ name: `golden-${i}`, text: c.text, chunk_size: size, chunk_overlap: overlap, chunks: await split(c.text, size, overlap) });
}
for (const file of ["1861_abraham_lincoln_r.txt", "2009_barack_obama_d.txt", "2017_donald_j_trump_r.txt"]) {
  for (const [size, overlap] of [[1000, 200], [4000, 200]]) {
    const text = fs.readFileSync(path.join("data/sotu", file), "utf8");
    cases.push({ name: `sotu-${file}-${size}-${overlap}`, file: `data/sotu/${file}`, chunk_size: size, chunk_overlap: overlap,
                 chunks: await split(text, size, overlap) });
  }
}
const out = {
  meta: { generator: `@langchain/textsplitters ${lcVersion} TokenTextSplitter, js-tiktoken ${tkVersion} cl100k_base (node ${process.version})`,
          about: "chunks as LangChain returns them (decoded token windows); a case has either text or file (relative to the repository root)" },
  cases,
};
fs.mkdirSync("parallelrag-cli/src/test/resources/golden", { recursive: true });
fs.writeFileSync("parallelrag-cli/src/test/resources/golden/langchain-token-splitter.json", JSON.stringify(out, null, 1) + "\n");
console.log(`${cases.length} cases`);
