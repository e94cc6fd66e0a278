import { t } from '../../components/i18n';
import { DEFAULT_PRICES, type ModelPrice, type PriceTable as Prices } from '../../lib/cache/prices';

type Row = [string, ModelPrice];

/** The user's prices over the built-in ones; a row edited to a built-in model overrides it. */
export function PriceTable({ prices, onChange }: { prices: Prices; onChange: (next: Prices) => void }) {
  const rows: Row[] = Object.entries({ ...DEFAULT_PRICES, ...prices });
  const update = (next: Row[]) => {
    // Store only what differs from the built-in table, so future default updates still reach the user.
    const own: Prices = {};
    for (const [model, price] of next) {
      const builtIn = DEFAULT_PRICES[model];
      if (model.trim() && (!builtIn || builtIn.inputPerMTok !== price.inputPerMTok || builtIn.outputPerMTok !== price.outputPerMTok)) {
        own[model.trim()] = price;
      }
    }
    onChange(own);
  };
  const setRow = (i: number, row: Row) => update(rows.map((r, j) => (i === j ? row : r)));
  return (
    <fieldset>
      <legend>{t('pricesTitle')}</legend>
      <table className="prices">
        <thead>
          <tr>
            <th>{t('model')}</th>
            <th>{t('priceInput')}</th>
            <th>{t('priceOutput')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([model, price], i) => (
            <tr key={i}>
              <td>
                <input aria-label={t('pricedModel')} value={model} onChange={(e) => setRow(i, [e.target.value, price])} />
              </td>
              {(['inputPerMTok', 'outputPerMTok'] as const).map((field) => (
                <td key={field}>
                  <input
                    aria-label={`${model} ${t(field === 'inputPerMTok' ? 'priceInput' : 'priceOutput')}`}
                    type="number"
                    min={0}
                    step="0.01"
                    value={price[field]}
                    onChange={(e) => setRow(i, [model, { ...price, [field]: Number(e.target.value) }])}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => onChange({ ...prices, [`model-${rows.length + 1}`]: { inputPerMTok: 0, outputPerMTok: 0 } })}>
        {t('addPrice')}
      </button>
    </fieldset>
  );
}
