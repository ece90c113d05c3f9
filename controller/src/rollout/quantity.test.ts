// Expected values were produced by Go itself: controller/api/tools/go-json (`go run . quantity`)
// decoding each input into k8s.io/apimachinery v0.34.1 resource.Quantity and marshalling it.
import { canonicalQuantity, QuantityError } from './quantity.ts';

test.each([
  { name: '"100m"', input: '100m', want: '100m' },
  { name: 'whole units lose the suffix', input: '2000m', want: '2' },
  { name: 'a JSON number', input: 0.5, want: '500m' },
  { name: '"0.5"', input: '0.5', want: '500m' },
  { name: '1', input: 1, want: '1' },
  { name: '"1Gi"', input: '1Gi', want: '1Gi' },
  { name: 'binary rounds up to the largest exact unit', input: '1024Mi', want: '1Gi' },
  { name: '"1000Mi"', input: '1000Mi', want: '1000Mi' },
  { name: '"1536Mi"', input: '1536Mi', want: '1536Mi' },
  { name: '"8Gi"', input: '8Gi', want: '8Gi' },
  { name: 'fractional binary', input: '1.5Gi', want: '1536Mi' },
  { name: '"0.5Gi"', input: '0.5Gi', want: '512Mi' },
  { name: '"128974848"', input: '128974848', want: '128974848' },
  { name: '"129e6"', input: '129e6', want: '129e6' },
  { name: '"129M"', input: '129M', want: '129M' },
  { name: '"123Mi"', input: '123Mi', want: '123Mi' },
  { name: '"1e3"', input: '1e3', want: '1e3' },
  { name: '"1E3"', input: '1E3', want: '1E3' },
  { name: 'canonical input kept verbatim, sign and all', input: '+1', want: '+1' },
  { name: '"-1"', input: '-1', want: '-1' },
  { name: '"1.5"', input: '1.5', want: '1500m' },
  { name: '"0.1"', input: '0.1', want: '100m' },
  { name: 'trailing zeros become a suffix', input: '1200000', want: '1200k' },
  { name: '"1k"', input: '1k', want: '1k' },
  { name: '"1000"', input: '1000', want: '1k' },
  { name: 'below nano rounds up', input: '0.0000000001', want: '1n' },
  { name: 'rounds up to whole nanos', input: '1.5n', want: '2n' },
  { name: 'past the int64 fast path', input: '12345678901234567890', want: '12345678901234567890' },
  { name: '"0"', input: '0', want: '0' },
  { name: '"0Mi"', input: '0Mi', want: '0' },
  { name: 'leading zeros kept (Go caches the input)', input: '00100m', want: '00100m' },
  { name: '"."', input: '.', want: '0' },
  { name: '" 5 "', input: ' 5 ', want: '5' },
  { name: '"1000Ki"', input: '1000Ki', want: '1000Ki' },
  { name: '"512Ki"', input: '512Ki', want: '512Ki' },
  { name: '"1e+21"', input: '1e+21', want: '1e+21' },
  { name: '"5Mi "', input: '5Mi ', want: '5Mi' },
  { name: 'binary fraction that is whole in Ki', input: '0.25Mi', want: '256Ki' },
  { name: '"100.0m"', input: '100.0m', want: '100m' },
  { name: '[quirk] Go drops a suffix past E', input: '1000E', want: '1' },
  { name: '"500u"', input: '500u', want: '500u' },
  { name: '"1024"', input: '1024', want: '1024' },
  { name: '"2048Ki"', input: '2048Ki', want: '2Mi' },
  { name: 'negative binary', input: '-2048Ki', want: '-2Mi' },
  { name: '"3e-3"', input: '3e-3', want: '3e-3' },
  { name: 'a dot without decimals is accepted and kept', input: '1.G', want: '1.G' },
])('$name: $input', ({ input, want }) => {
  expect(canonicalQuantity(input)).toBe(want);
});

test.each(['invalid', '', '5Zi', '1e'])('%j is not a quantity', (input) => {
  expect(() => canonicalQuantity(input)).toThrow(QuantityError);
});
