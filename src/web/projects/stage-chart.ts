import { formatCount } from '../view-models/number-format';
import { foldText, listSearch, NO_STAGE, NO_STAGE_LABEL, type ListQuery, type StageCount } from '../../projects/query';

/** One bar of the "Projects by stage" chart: a link that filters the list by that stage. */
export interface StageBar {
  /** The `stage=` value (NO_STAGE for projects without one). */
  stage: string;
  label: string;
  count: number;
  /** "1,234" */
  countText: string;
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
  totalText: string;
}

/** What people read for a `stage=` value. */
export function stageLabel(stage: string): string {
  return stage === NO_STAGE ? NO_STAGE_LABEL : stage;
}

/**
 * The stage mix of the current company, status and search (the stage filter itself left out, so
 * every stage stays one click away). A stage asked for that none of these projects is at (left over
 * from another status, or typed into the address) still gets its bar, at 0 and marked current, so
 * the filter hiding everything is in sight. Undefined when there is nothing to chart.
 */
export function stageChart(mix: readonly StageCount[], query: ListQuery): StageChart | undefined {
  if (mix.length === 0 && !query.stage) return undefined;
  const href = (stage: string): string => `/projects${listSearch({ ...query, stage, page: 1 })}`;
  const biggest = Math.max(1, ...mix.map((entry) => entry.count));
  // Compared as the filter compares them: letter case and accents aside.
  const wanted = foldText(query.stage);
  const bars = mix.map((entry) => ({
    stage: entry.stage,
    label: entry.label,
    count: entry.count,
    countText: formatCount(entry.count),
    href: href(entry.stage),
    current: wanted !== '' && foldText(entry.stage) === wanted,
    length: Math.max(1, Math.round((entry.count / biggest) * 100)),
  }));
  if (wanted !== '' && !bars.some((bar) => bar.current)) {
    bars.push({
      stage: query.stage,
      label: stageLabel(query.stage),
      count: 0,
      countText: '0',
      href: href(query.stage),
      current: true,
      length: 0,
    });
  }
  const total = mix.reduce((sum, entry) => sum + entry.count, 0);
  return { bars, allHref: href(''), allCurrent: query.stage === '', total, totalText: formatCount(total) };
}
