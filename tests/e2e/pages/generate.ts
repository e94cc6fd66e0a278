// Fixture pages too large to keep as files, generated the same way every time.

const topics = ['rail', 'ports', 'energy', 'housing', 'water', 'schools', 'clinics', 'roads', 'parks', 'libraries'];

/** A long report: `sections` sections of several distinct paragraphs each (about 330 words a section). */
export function longReport(sections: number): string {
  const body: string[] = [];
  for (let s = 0; s < sections; s++) {
    const topic = topics[s % topics.length]!;
    body.push(`<h2>Section ${s + 1}: ${topic} in district ${s * 7 + 3}</h2>`);
    for (let p = 0; p < 5; p++) {
      const n = s * 5 + p;
      body.push(
        `<p>In district ${s * 7 + 3}, the ${topic} programme reached milestone ${n} in year ${2000 + (n % 25)}. ` +
          `Officials counted ${n * 37 + 11} users and ${n * 3 + 2} sites, a change of ${(n % 9) - 4} percent on the year before. ` +
          `Residents interviewed for paragraph ${n} described delays, costs of ${n * 113} euros per household, and a plan ` +
          `to extend the service to ${n % 6 + 2} neighbouring towns by ${2030 + (n % 5)}. Auditors noted that figure ${n} ` +
          `depends on estimates from ${topic} operators that have not been independently checked.</p>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Regional infrastructure report</title></head>
<body><main><article><h1>Regional infrastructure report</h1>${body.join('\n')}</article></main></body></html>`;
}
