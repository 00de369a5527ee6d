import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, NO_STAGE, type ListQuery } from '../../src/projects/query';
import { stageChart } from '../../src/web/projects/stage-chart';

const query = (over: Partial<ListQuery> = {}): ListQuery => ({ ...DEFAULT_QUERY, companyId: 7, ...over });
const mix = [
  { stage: 'Bidding', label: 'Bidding', count: 40 },
  { stage: 'Café Fit-Out', label: 'Café Fit-Out', count: 10 },
  { stage: NO_STAGE, label: 'No stage', count: 1 },
];

describe('the stage chart', () => {
  it('when there is a mix, then each bar links to its stage keeping the search, status and sort, back on page 1', () => {
    const chart = stageChart(mix, query({ q: 'oak', status: 'All', sort: '-number', page: 3 }))!;
    expect(chart.bars.map((bar) => bar.href)).toEqual([
      '/projects?company_id=7&q=oak&status=All&stage=Bidding&sort=-number',
      '/projects?company_id=7&q=oak&status=All&stage=Caf%C3%A9+Fit-Out&sort=-number',
      '/projects?company_id=7&q=oak&status=All&stage=%28none%29&sort=-number',
    ]);
    expect(chart.allHref).toBe('/projects?company_id=7&q=oak&status=All&sort=-number');
    expect(chart.total).toBe(51);
  });

  it('when bars are drawn, then the biggest stage is full length and a small one still shows', () => {
    expect(stageChart(mix, query())!.bars.map((bar) => bar.length)).toEqual([100, 25, 3]);
    expect(
      stageChart(
        [
          { stage: 'A', label: 'A', count: 1 },
          { stage: 'B', label: 'B', count: 1000 },
        ],
        query(),
      )!.bars[0]!.length,
    ).toBe(1);
  });

  it('when a stage is chosen, then only its bar is current, whatever its letter case or accents; without one, "All stages" is', () => {
    const chosen = stageChart(mix, query({ stage: 'cafe fit-out' }))!;
    expect(chosen.bars.map((bar) => bar.current)).toEqual([false, true, false]);
    expect(chosen.allCurrent).toBe(false);
    expect(stageChart(mix, query())!.allCurrent).toBe(true);
    expect(stageChart([], query())).toBeUndefined();
  });
});
