// The `newRelic` provider: the metric's NRQL `query` run through NerdGraph (POST …/graphql, the
// key in the Api-Key header) with the account and a `timeout` in seconds (5 by default). One
// result row is what the conditions read (`result.errorRate`); several rows are the list. The
// account comes from the Secret `newrelic` in the controller's namespace, or the one `profile`
// names: `personal-api-key`, `account-id`, optional `region` (us, eu) and `base-url-nerdgraph`.
import type { NewRelicMetric } from '@rollout-kit/api';
import type { ProviderOutcome } from '../run-plan.ts';
import type { HttpAnswer, HttpRequestOptions } from './http-request.ts';
import { answerOverHttp, type MeasureContext, type MetricProvider, type SecretSource } from './provider.ts';

export const NEWRELIC_SECRET = 'newrelic';
const DEFAULT_TIMEOUT_SECONDS = 5;
const HTTP_TIMEOUT_MS = 30_000;
const NERDGRAPH: Readonly<Record<string, string>> = {
  us: 'https://api.newrelic.com/graphql',
  eu: 'https://api.eu.newrelic.com/graphql',
  staging: 'https://staging-api.newrelic.com/graphql',
};

// The NerdGraph document upstream sends; the values travel as variables, never in the text.
const NRQL_QUERY = `query ($query: Nrql!, $accountId: Int!, $timeout: Seconds!) {
  actor { account(id: $accountId) { nrql(query: $query, timeout: $timeout) { results } } }
}`;

export interface NewRelicAccount {
  apiKey: string;
  accountId: number;
  endpoint: string;
}

/** The account from the profile Secret's data; throws on what upstream refuses. */
export function newRelicAccount(
  data: Record<string, string> | undefined,
  secretName: string,
): NewRelicAccount {
  if (!data) throw new Error(`secrets "${secretName}" not found`);
  const apiKey = data['personal-api-key'] ?? '';
  const account = data['account-id'] ?? '';
  if (!apiKey || !account) throw new Error('account ID or personal API key not found');
  if (!/^-?\d+$/.test(account))
    throw new Error(`could not parse account ID: strconv.Atoi: parsing "${account}": invalid syntax`);
  const region = (data.region ?? 'us').toLowerCase();
  const endpoint = data['base-url-nerdgraph'] || NERDGRAPH[region];
  if (!endpoint) throw new Error(`invalid region: ${data.region ?? ''}`);
  return { apiKey, accountId: Number(account), endpoint };
}

export function newRelicRequest(
  metric: NewRelicMetric,
  account: NewRelicAccount,
): { url: string; options: HttpRequestOptions } {
  const timeout = metric.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (timeout < 0) throw new Error('timeout value needs to be a positive value');
  return {
    url: account.endpoint,
    options: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Api-Key': account.apiKey },
      body: JSON.stringify({
        query: NRQL_QUERY,
        variables: { accountId: account.accountId, query: metric.query, timeout },
      }),
      timeoutMs: HTTP_TIMEOUT_MS,
      insecure: false,
    },
  };
}

interface NerdGraphAnswer {
  data?: { actor?: { account?: { nrql?: { results?: Record<string, unknown>[] | null } | null } | null } };
  errors?: { message?: string }[];
}

export function newRelicOutcome(answer: HttpAnswer): ProviderOutcome {
  let parsed: NerdGraphAnswer;
  try {
    parsed = JSON.parse(answer.body) as NerdGraphAnswer;
  } catch {
    return { kind: 'error', message: `NerdGraph answered ${answer.status} with a body that is not JSON` };
  }
  if (parsed.errors && parsed.errors.length > 0)
    return { kind: 'error', message: parsed.errors.map((e) => e.message ?? 'unknown error').join(', ') };
  if (answer.status < 200 || answer.status > 299)
    return { kind: 'error', message: `NerdGraph answered ${answer.status}: ${answer.body}` };
  const results = parsed.data?.actor?.account?.nrql?.results ?? [];
  const none: ProviderOutcome = { kind: 'error', message: 'no results returned from NRQL query' };
  if (results.length === 0) return none;
  if (results.length === 1) {
    const [row] = results;
    if (!row || Object.keys(row).length === 0) return none;
    return { kind: 'value', result: row, value: JSON.stringify(row) };
  }
  return { kind: 'value', result: results, value: JSON.stringify(results) };
}

export function newRelicProvider(secrets: SecretSource): MetricProvider {
  return {
    type: 'newRelic',
    async measure({ metric }: MeasureContext): Promise<ProviderOutcome> {
      const nr = metric.provider.newRelic;
      if (!nr) return { kind: 'error', message: 'newRelic provider missing' };
      const name = nr.profile || NEWRELIC_SECRET;
      return answerOverHttp(async () => {
        const account = newRelicAccount(await secrets.readSecret(secrets.controllerNamespace, name), name);
        return newRelicRequest(nr, account);
      }, newRelicOutcome);
    },
  };
}
