/**
 * @jest-environment node
 */
import { actionRequests } from '../model/action-request.ts';
import { canaryPaused } from '../model/fixtures.ts';
import { runResourceAction, type Fetch } from './resource-actions.ts';

const requests = actionRequests({
  baseURI: 'https://cd.example.com/',
  application: { metadata: { name: 'shop' } },
  rollout: canaryPaused(),
  action: 'resume',
});

/** A fetch that answers from a list, recording each call. */
function fakeFetch(...responses: Response[]): { fetch: Fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (url) => {
      calls.push(url);
      const next = responses.shift();
      if (next === undefined) throw new Error('unexpected request');
      return next;
    },
  };
}

test('v2 succeeds: one request', async () => {
  const { fetch, calls } = fakeFetch(new Response('{}', { status: 200 }));
  await runResourceAction(fetch, requests);
  expect(calls).toEqual([requests.v2.url]);
});

test.each([404, 405, 501])('v2 answered %i: falls back to v1', async (status) => {
  const { fetch, calls } = fakeFetch(
    new Response('Not Found', { status }),
    new Response('{}', { status: 200 }),
  );
  await runResourceAction(fetch, requests);
  expect(calls).toEqual([requests.v2.url, requests.v1.url]);
});

test.each([
  {
    name: '403 with Argo CD JSON error',
    response: new Response(
      JSON.stringify({ error: 'permission denied', code: 7, message: 'permission denied' }),
      {
        status: 403,
        statusText: 'Forbidden',
      },
    ),
    want: '403 Forbidden: permission denied',
  },
  {
    name: '400 with error only',
    response: new Response(JSON.stringify({ error: 'action not enabled' }), { status: 400 }),
    want: '400: action not enabled',
  },
  { name: '500 plain text', response: new Response('boom\n', { status: 500 }), want: '500: boom' },
  { name: '502 empty body', response: new Response('', { status: 502 }), want: '502' },
])('errors say what the server said: $name', async ({ response, want }) => {
  const { fetch } = fakeFetch(response);
  await expect(runResourceAction(fetch, requests)).rejects.toThrow(want);
});

test('v1 fallback failing reports the v1 error', async () => {
  const { fetch } = fakeFetch(
    new Response('', { status: 404 }),
    new Response('{"message":"no such app"}', { status: 404 }),
  );
  await expect(runResourceAction(fetch, requests)).rejects.toThrow('404: no such app');
});

test('a network failure propagates', async () => {
  const fetch: Fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  await expect(runResourceAction(fetch, requests)).rejects.toThrow('Failed to fetch');
});

test('an action with parameters is not retried on v1, which cannot carry them', async () => {
  const undo = actionRequests({
    baseURI: 'https://cd.example.com/',
    application: { metadata: { name: 'shop' } },
    rollout: canaryPaused(),
    action: 'undo',
    parameters: [{ name: 'revision', value: '1' }],
  });
  const { fetch, calls } = fakeFetch(new Response('Not Found', { status: 404 }));
  await expect(runResourceAction(fetch, undo)).rejects.toThrow(
    '404: Not Found (undo takes parameters, which Argo CD accepts from version 3.1 on)',
  );
  expect(calls).toEqual([undo.v2.url]);
});
