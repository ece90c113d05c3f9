// Jest transformer for the whole repository: TypeScript and TSX to ES modules with esbuild.
// Type checking is tsc's job (make typecheck); this only strips types, so tests start fast.
// TSX uses the classic runtime (React.createElement) because the extension renders with the
// React that Argo CD provides as a global, never a bundled JSX runtime.
import { createHash } from 'node:crypto';
import { transformSync, version } from 'esbuild';

export default {
  getCacheKey(source, filename) {
    return createHash('sha256').update(version).update(filename).update('\0').update(source).digest('hex');
  },
  process(source, filename) {
    const result = transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'esm',
      target: 'es2024',
      sourcemap: 'inline',
      sourcefile: filename,
      jsx: 'transform',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    return { code: result.code };
  },
};
