#!/usr/bin/env node
// Compiles every contract with the pinned solc into JSON artifacts.
//   node build.js          write the artifacts
//   node build.js --check  fail (exit 1) when a committed artifact is stale
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const solc = require('solc');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..');
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  viaIR: true,
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};
// Which sources become artifacts, and where they go.
const TARGETS = [
  { dir: path.join(HERE, 'src'), out: path.join(ROOT, 'resources', 'contracts') },
  { dir: path.join(HERE, 'test'), out: path.join(ROOT, 'tests', 'contracts', 'artifacts') },
];

function readSources() {
  const sources = {};
  for (const { dir } of TARGETS) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
      const key = path.relative(HERE, path.join(dir, file)).split(path.sep).join('/');
      sources[key] = { content: fs.readFileSync(path.join(dir, file), 'utf8') };
    }
  }
  return sources;
}

function sourceHash(sources) {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(SETTINGS));
  for (const key of Object.keys(sources).sort()) {
    hash.update(key + '\0' + sources[key].content + '\0');
  }
  return hash.digest('hex');
}

function compile(sources) {
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) console.error(e.formattedMessage);
  if (errors.length) process.exit(1);
  return output;
}

function artifacts(sources, output) {
  const hash = sourceHash(sources);
  const result = new Map();
  for (const { dir, out } of TARGETS) {
    for (const [key, contracts] of Object.entries(output.contracts)) {
      if (path.resolve(HERE, key).startsWith(dir + path.sep) === false) continue;
      for (const [name, c] of Object.entries(contracts)) {
        if (!c.evm.bytecode.object || c.abi.length === 0) continue; // abstract contracts, interfaces, internal libraries
        const artifact = {
          contractName: name,
          source: key,
          abi: c.abi,
          bytecode: '0x' + c.evm.bytecode.object,
          deployedBytecode: '0x' + c.evm.deployedBytecode.object,
          compiler: 'solc-js ' + solc.version(),
          settings: { evmVersion: SETTINGS.evmVersion, optimizer: SETTINGS.optimizer },
          sourceHash: hash,
        };
        result.set(path.join(out, name + '.json'), JSON.stringify(artifact, null, 1) + '\n');
      }
    }
  }
  return result;
}

function main() {
  const check = process.argv.includes('--check');
  const sources = readSources();
  const wanted = artifacts(sources, compile(sources));
  let stale = 0;
  for (const [file, text] of wanted) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    if (check) {
      console.error('stale artifact: ' + path.relative(ROOT, file));
      stale += 1;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log('wrote ' + path.relative(ROOT, file));
    }
  }
  for (const { out } of TARGETS) {
    if (!fs.existsSync(out)) continue;
    for (const f of fs.readdirSync(out).filter((f) => f.endsWith('.json'))) {
      if (!wanted.has(path.join(out, f))) {
        console.error((check ? 'orphan artifact: ' : 'artifact without a source (delete it): ') + path.relative(ROOT, path.join(out, f)));
        stale += 1;
      }
    }
  }
  if (stale) process.exit(1);
  console.log((check ? 'artifacts are up to date: ' : 'built: ') + wanted.size + ' contracts, solc ' + solc.version());
}

main();
