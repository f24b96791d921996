// Bundles the API into dist/server.js (the standalone server) and dist/embedded.js (the API inside
// another process: the web app). Our workspace packages export TypeScript sources, so they are
// inlined; every other package stays external and is loaded from node_modules at run time.
import { readFile, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import ts from 'typescript';

await build({
  entryPoints: { server: 'src/main.ts', embedded: 'src/embedded.ts' },
  outdir: 'dist',
  bundle: true,
  // Each entry carries its own copy: the server must not load a chunk the web app shares, and the
  // other way round, so either can be rebuilt and run alone.
  splitting: false,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-node-modules',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@paylinks/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});

// embedded.ts spells out its public types, so its declarations come from that one file, without
// type-checking the whole API on every build.
const source = await readFile('src/embedded.ts', 'utf8');
const { outputText, diagnostics } = ts.transpileDeclaration(source, {
  fileName: 'embedded.ts',
  compilerOptions: { isolatedDeclarations: true, strict: true },
  reportDiagnostics: true,
});
if (diagnostics?.length) {
  const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  throw new Error(`src/embedded.ts must declare its public types itself:\n${messages.join('\n')}`);
}
await writeFile('dist/embedded.d.ts', outputText);
