// The pages' shared libraries, built into web/lib/ (git-ignored) before `wrangler dev` and
// `wrangler deploy` (wrangler.toml [build]). The pages themselves stay plain ES modules with
// no build step; only what comes from npm is bundled here, once:
//   web/lib/sdk.js    the generated client SDK (the same one partners use), for browsers
//   web/lib/ui.js     preact + hooks + htm (`html` tagged templates instead of JSX)
//   web/lib/uplot.js  uPlot for the console's charts, and uplot.css
//   web/lib/scalar/   Scalar's standalone API reference for /docs (pinned in package.json), served
//                     from here so the reference needs no CDN and works offline
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'web/lib';
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['client-sdk/src/index.ts'], outfile: `${out}/sdk.js` }),
  build({
    ...common,
    stdin: {
      contents: [
        "import { h, render, Fragment, createContext } from 'preact';",
        "import htm from 'htm';",
        "export * from 'preact/hooks';",
        'export const html = htm.bind(h);',
        'export { h, render, Fragment, createContext };',
      ].join('\n'),
      resolveDir: '.',
    },
    outfile: `${out}/ui.js`,
  }),
  build({
    ...common,
    stdin: { contents: "export { default } from 'uplot';", resolveDir: '.' },
    outfile: `${out}/uplot.js`,
  }),
]);
copyFileSync('node_modules/uplot/dist/uPlot.min.css', `${out}/uplot.css`);
mkdirSync(`${out}/scalar`, { recursive: true });
// One self-contained file: the standalone build loads no chunks, fonts or scripts of its own.
copyFileSync('node_modules/@scalar/api-reference/dist/browser/standalone.js', `${out}/scalar/standalone.js`);
