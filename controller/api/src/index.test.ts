import { API_VERSION } from './index.ts';

test('the API version is argoproj.io/v1alpha1', () => {
  expect(API_VERSION).toBe('argoproj.io/v1alpha1');
});
