// Validates SARIF files against the SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5, draft-04) that
// @microsoft/jest-sarif ships, with the Ajv 6 it validates with (draft-04 needs Ajv 6's meta-schema).
// usage: node validate-sarif.cjs FILE...   exit 0 when every file is valid, 1 with the errors otherwise.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const jestSarif = path.dirname(require.resolve('@microsoft/jest-sarif/package.json'));
const Ajv = require(require.resolve('ajv', { paths: [jestSarif] }));
const draft4 = require(require.resolve('ajv/lib/refs/json-schema-draft-04.json', { paths: [jestSarif] }));
const schema = require(path.join(jestSarif, 'lib/schemas/sarif-2.1.0-rtm.5.json'));

const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
ajv.addMetaSchema(draft4);
const validate = ajv.compile(schema);

let failed = 0;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (validate(log) && log.version === '2.1.0') {
    console.log(`${file}: valid SARIF 2.1.0 (${schema.title})`);
  } else {
    failed++;
    console.log(`${file}: INVALID ${JSON.stringify(validate.errors || 'version is not 2.1.0', null, 1)}`);
  }
}
process.exit(failed || process.argv.length < 3 ? 1 : 0);
