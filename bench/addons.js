'use strict';
// Building the benchmark's hand-written addons (napi-addon/, v8fast-addon/)
// with the bench's own node-gyp, in a contender's prepare step: only when
// the addon is missing or older than one of its sources (or --rebuild).
// No headers are downloaded: node-gyp is pointed at the running Node's own
// install prefix.

const fs = require('node:fs');
const path = require('node:path');

// addon: { dir, binary (path of the .node file), sources (paths), label }.
function buildAddon(ctx, addon) {
  const stale =
    ctx.rebuild ||
    !fs.existsSync(addon.binary) ||
    addon.sources.some((f) => fs.statSync(f).mtimeMs > fs.statSync(addon.binary).mtimeMs);
  if (!stale) return;
  ctx.ensureDeps();
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [ctx.benchDir] });
  const nodedir = path.dirname(path.dirname(process.execPath));
  ctx.log(`building ${addon.label} (node-gyp rebuild --nodedir=${nodedir})`);
  ctx.exec(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=warn'], { cwd: addon.dir });
}

module.exports = { buildAddon };
