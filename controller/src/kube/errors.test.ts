import { ApiException } from '@kubernetes/client-node';
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  KubeError,
  NotFoundError,
  TransientError,
  errorKindForStatus,
  isConflict,
  isNotFound,
  isTransient,
  kubeCall,
  toKubeError,
} from './errors.ts';

const status = (code: number, message: string) =>
  new ApiException(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: 'Status', code, message }), {});

describe('errorKindForStatus', () => {
  test.each([
    { name: 'network failure', status: undefined, want: 'Transient' },
    { name: 'bad request', status: 400, want: 'Invalid' },
    { name: 'unauthorized', status: 401, want: 'Forbidden' },
    { name: 'forbidden', status: 403, want: 'Forbidden' },
    { name: 'not found', status: 404, want: 'NotFound' },
    { name: 'request timeout', status: 408, want: 'Transient' },
    { name: 'conflict', status: 409, want: 'Conflict' },
    { name: 'gone', status: 410, want: 'Gone' },
    { name: 'unprocessable', status: 422, want: 'Invalid' },
    { name: 'too many requests', status: 429, want: 'Transient' },
    { name: 'internal error', status: 500, want: 'Transient' },
    { name: 'unavailable', status: 503, want: 'Transient' },
    { name: 'gateway timeout', status: 504, want: 'Transient' },
    { name: 'teapot', status: 418, want: 'Unknown' },
  ])('$name', ({ status: code, want }) => {
    expect(errorKindForStatus(code)).toBe(want);
  });
});

describe('toKubeError', () => {
  test.each([
    {
      name: '404 with a Status body',
      error: status(404, 'replicasets "web" not found'),
      type: NotFoundError,
    },
    { name: '409 conflict', error: status(409, 'the object has been modified'), type: ConflictError },
    { name: '422 invalid', error: status(422, 'spec.replicas: Invalid value: -1'), type: InvalidError },
    { name: '403 forbidden', error: status(403, 'cannot patch'), type: ForbiddenError },
    { name: '410 gone', error: status(410, 'too old resource version'), type: GoneError },
    { name: '429 throttled', error: status(429, 'slow down'), type: TransientError },
    { name: '500 server error', error: status(500, 'etcdserver: leader changed'), type: TransientError },
    {
      name: 'watch non-200 (statusCode)',
      error: Object.assign(new Error('Gone'), { statusCode: 410 }),
      type: GoneError,
    },
    {
      name: 'connection refused (undici cause chain)',
      error: new TypeError('fetch failed', {
        cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      }),
      type: TransientError,
    },
    { name: 'timeout', error: new DOMException('timed out', 'TimeoutError'), type: TransientError },
  ])('$name', ({ error, type }) => {
    const mapped = toKubeError('scaling ReplicaSet web-7d9f to 3', error);
    expect(mapped).toBeInstanceOf(type);
    expect(mapped).toBeInstanceOf(KubeError);
    expect(mapped.message).toMatch(/^scaling ReplicaSet web-7d9f to 3/);
    expect(mapped.cause).toBe(error);
  });

  test('the API message is kept as the reason and in the message', () => {
    const mapped = toKubeError('patching Rollout ns/web status', status(409, 'the object has been modified'));
    expect(mapped).toBeInstanceOf(ConflictError);
    expect((mapped as KubeError).reason).toBe('the object has been modified');
    expect((mapped as KubeError).status).toBe(409);
    expect(mapped.message).toBe('patching Rollout ns/web status: the object has been modified');
  });

  test('a parsed object body is read too', () => {
    const mapped = toKubeError('x', new ApiException(404, 'nf', { message: 'gone away' }, {}));
    expect((mapped as KubeError).reason).toBe('gone away');
  });

  test('re-wrapping keeps the kind and adds the outer context', () => {
    const inner = toKubeError('reading Lease', status(404, 'not found'));
    const outer = toKubeError('electing a leader', inner);
    expect(outer).toBeInstanceOf(NotFoundError);
    expect(outer.message).toBe('electing a leader: not found');
    expect(outer.cause).toBe(inner);
  });

  test('a programming error passes through unchanged', () => {
    const bug = new RangeError('index out of range');
    expect(toKubeError('x', bug)).toBe(bug);
  });

  test('a thrown non-error becomes an Error with context', () => {
    const mapped = toKubeError('listing Pods', 'boom');
    expect(mapped).toBeInstanceOf(Error);
    expect(mapped.message).toBe('listing Pods: boom');
  });
});

test('kubeCall maps failures and passes results through', async () => {
  await expect(kubeCall('reading', async () => 7)).resolves.toBe(7);
  const failure = kubeCall('deleting ReplicaSet ns/old', () => Promise.reject(status(404, 'not found')));
  await expect(failure).rejects.toBeInstanceOf(NotFoundError);
});

test.each([
  { name: 'isNotFound', check: isNotFound, code: 404 },
  { name: 'isConflict', check: isConflict, code: 409 },
  { name: 'isTransient', check: isTransient, code: 503 },
])('$name recognises only its kind', ({ check, code }) => {
  expect(check(toKubeError('x', status(code, 'm')))).toBe(true);
  expect(check(toKubeError('x', status(422, 'm')))).toBe(false);
  expect(check(new Error('plain'))).toBe(false);
});
