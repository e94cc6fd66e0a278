// Under an answer, small and muted: the tokens it took and their estimated cost, or, when it came
// from the cache, what replaying it saved.
import { useEffect, useState } from 'react';
import { DEFAULT_PRICES, type PriceTable } from '../lib/cache/prices';
import { formatUsd, usageCost, type JobUsage } from '../lib/jobs/usage';
import { languageTag, t } from './i18n';
import { sendRequest } from './sendRequest';

// Read once per view: every answer in it is priced by the same table, and prices rarely change.
let prices: Promise<PriceTable> | undefined;
const loadPrices = () =>
  (prices ??= sendRequest({ type: 'prefs.get' }).then(
    (prefs) => ({ ...DEFAULT_PRICES, ...prefs.prices }),
    () => DEFAULT_PRICES,
  ));

export function UsageLine({ usage }: { usage: JobUsage | undefined }) {
  const [table, setTable] = useState<PriceTable>();
  useEffect(() => {
    if (!usage) return;
    let live = true;
    void loadPrices().then((p) => live && setTable(p));
    return () => void (live = false);
  }, [usage]);
  if (!usage) return null;
  const cost = table ? usageCost(usage, table) : {};
  const count = (n: number) => n.toLocaleString(languageTag());
  const withCost = (text: string, usd: number | undefined) => (usd === undefined ? text : `${text} ${t('usageCost', { cost: formatUsd(usd) })}`);
  const parts: string[] = [];
  if (usage.promptTokens + usage.completionTokens > 0) {
    parts.push(withCost(t('usageSpent', { input: count(usage.promptTokens), output: count(usage.completionTokens) }), cost.spentUsd));
  }
  if (usage.saved) {
    parts.push(withCost(t('usageSaved', { input: count(usage.saved.promptTokens), output: count(usage.saved.completionTokens) }), cost.savedUsd));
  }
  return (
    <p className="usage" data-testid="usage">
      {parts.join(' · ')}
    </p>
  );
}
