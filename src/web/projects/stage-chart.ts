import { foldText, listSearch, type ListQuery, type StageCount } from '../../projects/query';

/** One bar of the "Projects by stage" chart: a link that filters the list by that stage. */
export interface StageBar {
  label: string;
  count: number;
  href: string;
  current: boolean;
  /** Bar length, 0–100, relative to the biggest stage (an SVG attribute: the CSP allows no inline styles). */
  length: number;
}

export interface StageChart {
  bars: StageBar[];
  /** The list without a stage filter. */
  allHref: string;
  allCurrent: boolean;
  /** Projects in every stage together (of the current company, status and search). */
  total: number;
}

/**
 * The stage mix of the current company, status and search (the stage filter itself left out, so
 * every stage stays one click away). Undefined when there is nothing to chart.
 */
export function stageChart(mix: readonly StageCount[], query: ListQuery): StageChart | undefined {
  if (mix.length === 0) return undefined;
  const href = (stage: string): string => `/projects${listSearch({ ...query, stage, page: 1 })}`;
  const biggest = Math.max(...mix.map((entry) => entry.count));
  // Compared as the filter compares them: letter case and accents aside.
  const wanted = foldText(query.stage);
  return {
    bars: mix.map((entry) => ({
      label: entry.label,
      count: entry.count,
      href: href(entry.stage),
      current: wanted !== '' && foldText(entry.stage) === wanted,
      length: Math.max(1, Math.round((entry.count / biggest) * 100)),
    })),
    allHref: href(''),
    allCurrent: query.stage === '',
    total: mix.reduce((sum, entry) => sum + entry.count, 0),
  };
}
