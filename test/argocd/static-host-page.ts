// The browser tests' host page (Argo CD's extension contract: React globals, window.extensionsAPI,
// a resource view rendering registered tabs) written into a real argocd-server's static-assets
// directory, so argocd-server serves it from its own origin next to its API and /extensions.js.
// A module-built Argo CD has no UI of its own (the UI is built by Argo CD's JavaScript toolchain),
// which is why the page stands in for it. A small login page posts to Argo CD's session API, so
// the browser holds a real argocd.token cookie, as after logging in to Argo CD's UI.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostPage, pageScript, reactScripts, type HostApplication } from '../browser/host-page.ts';

export const HOST_PAGE = 'rollout-kit-host.html';
export const LOGIN_PAGE = 'rollout-kit-login.html';

const LOGIN_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="/">
<link rel="icon" href="data:,">
<title>Sign in to Argo CD</title>
<style>
body { font-family: system-ui, sans-serif; background: #0f2733; color: #fff; display: grid; place-items: center; min-height: 100vh; margin: 0; }
form { display: grid; gap: 12px; background: #1c3a48; padding: 24px 32px; border-radius: 6px; min-width: 280px; }
input { display: block; width: 100%; padding: 6px; margin-top: 4px; }
button { padding: 8px; background: #00a2b3; color: #fff; border: 0; border-radius: 4px; }
</style>
</head>
<body>
<form id="login">
<h1>Argo CD</h1>
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
<p role="alert" id="failure"></p>
</form>
<script>
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch('api/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
  });
  if (!response.ok) {
    document.getElementById('failure').textContent = 'Sign-in failed: HTTP ' + response.status;
    return;
  }
  // Only ever on to the host page (no open redirect), keeping its query.
  location.assign('${HOST_PAGE}' + location.search);
});
</script>
</body>
</html>
`;

/** Writes the login page, the host page for `application` and their scripts into `staticAssetsDir`. */
export async function writeHostPage(
  staticAssetsDir: string,
  application: HostApplication,
  refreshMs: number,
): Promise<void> {
  // Argo CD 3.5+ gives extensions React 19.
  const react = await reactScripts('19');
  await mkdir(join(staticAssetsDir, 'assets'), { recursive: true });
  for (const [i, script] of react.entries())
    await writeFile(join(staticAssetsDir, 'assets', `react-${i}.js`), script);
  await writeFile(join(staticAssetsDir, 'assets', 'host.js'), await pageScript('host.ts'));
  await writeFile(
    join(staticAssetsDir, HOST_PAGE),
    hostPage({ application, refreshMs, react: '19', scripts: react.length, theme: 'light' }),
  );
  await writeFile(join(staticAssetsDir, LOGIN_PAGE), LOGIN_HTML);
}
