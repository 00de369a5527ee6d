/**
 * The fields Procore's published reference adds to a project (Show project, "Project3"; the v1.0
 * list item, "Project1"): dates, value, office, type, region, logo, time zone, custom fields...
 * Most are null, as in a real company where nobody filled them in. Drawn from their own seeded
 * stream, so adding fields here never changes the names, numbers and stages of ./data.ts.
 */
import type { ProcoreNamedRef } from '../src/procore/types';

/** Procore's default project stages ("Working with Project Stages") plus Bidding, a custom stage its REST example shows. */
export const PROJECT_STAGE_REFS = [
  { id: 1, name: 'Bidding' },
  { id: 2, name: 'Pre-Construction' },
  { id: 3, name: 'Course of Construction' },
  { id: 4, name: 'Post-Construction' },
  { id: 5, name: 'Completed' },
  { id: 6, name: 'Not Awarded' },
  { id: 7, name: 'Canceled' },
] as const;

export const ACTIVE_STAGES = ['Bidding', 'Pre-Construction', 'Course of Construction', 'Post-Construction'] as const;
export const INACTIVE_STAGES = ['Completed', 'Not Awarded', 'Canceled'] as const;

const PROJECT_TYPES = [
  'Commercial',
  'Healthcare',
  'Education',
  'Infrastructure',
  'Residential',
  'Industrial',
  'Public Safety',
];
const REGIONS = ['West', 'Mountain', 'Central', 'Southeast', 'Northeast'];
const DEPARTMENTS = ['Operations', 'Preconstruction', 'Accounting', 'Safety'];

/** Rails zone name (`time_zone`) and tz-database name (`tz_name`) by state. */
const ZONES: Record<string, readonly [string, string]> = {
  TX: ['Central Time (US & Canada)', 'America/Chicago'],
  TN: ['Central Time (US & Canada)', 'America/Chicago'],
  MN: ['Central Time (US & Canada)', 'America/Chicago'],
  MO: ['Central Time (US & Canada)', 'America/Chicago'],
  CO: ['Mountain Time (US & Canada)', 'America/Denver'],
  UT: ['Mountain Time (US & Canada)', 'America/Denver'],
  ID: ['Mountain Time (US & Canada)', 'America/Boise'],
  AZ: ['Arizona', 'America/Phoenix'],
  OR: ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
  WA: ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
  CA: ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
  NC: ['Eastern Time (US & Canada)', 'America/New_York'],
  OH: ['Eastern Time (US & Canada)', 'America/New_York'],
  FL: ['Eastern Time (US & Canada)', 'America/New_York'],
};

export interface ExtrasInput {
  id: number;
  name: string;
  projectNumber: string | null;
  city: string;
  stateCode: string;
  createdMs: number;
  stage: string | null;
  random: () => number;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function ref(items: readonly string[], index: number, idBase: number): ProcoreNamedRef & { id: number; name: string } {
  return { id: idBase + index, name: items[index] as string };
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/**
 * A small monogram as a `data:` URL. Procore's logos live on its file hosts (https); the emulator
 * has no such host, and `data:` images load under the app's CSP without reaching the network.
 */
function monogramLogo(name: string, hue: number): string {
  const letters = name
    .split(/\s+/)
    .filter((word) => /^[A-Za-z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="16" fill="hsl(${hue},45%,32%)"/>` +
    `<text x="48" y="60" font-family="Arial,sans-serif" font-size="36" font-weight="700" fill="#fff" text-anchor="middle">${letters}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Every field of the published shape that ./data.ts does not already make. */
export function publishedExtras(input: ExtrasInput): Record<string, unknown> {
  const { random } = input;
  const stageRef = PROJECT_STAGE_REFS.find((stage) => stage.name === input.stage);
  const startMs = input.createdMs + Math.floor(random() * 120) * DAY_MS;
  const hasDates = random() >= 0.15;
  const startDate = hasDates ? day(startMs) : null;
  const completionDate = hasDates ? day(startMs + (200 + Math.floor(random() * 700)) * DAY_MS) : null;
  const totalValue =
    random() < 0.2 ? null : Math.round((0.5 + random() * 60) * 100_000) * 10 + (random() < 0.3 ? 0.5 : 0);
  const typeIndex = Math.floor(random() * PROJECT_TYPES.length);
  const regionIndex = Math.floor(random() * REGIONS.length);
  const zone = ZONES[input.stateCode] ?? null;
  const withDepartment = random() < 0.4;
  const department = Math.floor(random() * DEPARTMENTS.length);
  const inbound = `${input.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 24)}-${input.id % 100_000}`;
  return {
    logo_url: random() < 0.25 ? monogramLogo(input.name, Math.floor(random() * 360)) : null,
    is_demo: false,
    template: false,
    parent_job_id: null,
    time_zone: zone?.[0] ?? null,
    tz_name: zone?.[1] ?? null,
    description: random() < 0.3 ? `${input.name}: design-build delivery with an owner-held contingency.` : null,
    square_feet: random() < 0.5 ? 5_000 + Math.floor(random() * 400) * 500 : null,
    start_date: startDate,
    completion_date: completionDate,
    total_value: totalValue,
    estimated_value: totalValue,
    estimated_start_date: startDate,
    estimated_completion_date: completionDate,
    store_number: null,
    accounting_project_number: input.projectNumber,
    designated_market_area: null,
    warranty_start_date: null,
    warranty_end_date: null,
    flag: pick(random, ['Green', 'Green', 'Yellow', 'Red', null]),
    public_notes: null,
    actual_start_date: hasDates && random() < 0.6 ? startDate : null,
    projected_finish_date: completionDate,
    origin_code: null,
    standard_cost_code_list_id: 900_001,
    is_erp_integrated: false,
    owners_project_id: null,
    photo_id: null,
    project_template: null,
    fax: null,
    inbound_email: inbound,
    inbound_email_address: `${inbound}@procore-emulator.local`,
    code: null,
    persistent_message: null,
    office: random() < 0.9 ? { id: 3_600 + (input.stateCode.charCodeAt(0) % 40), name: `${input.city} Office` } : null,
    project_bid_type_id: null,
    project_bid_type: null,
    project_owner_type_id: null,
    project_owner_type: null,
    project_region_id: 40 + regionIndex,
    project_region: ref(REGIONS, regionIndex, 40),
    project_stage_id: stageRef?.id ?? null,
    project_type: random() < 0.85 ? ref(PROJECT_TYPES, typeIndex, 5) : null,
    program: null,
    departments: withDepartment ? [ref(DEPARTMENTS, department, 3_127)] : [],
    dictionary_type: null,
    custom_fields:
      random() < 0.3
        ? {
            custom_field_5001: {
              data_type: 'string',
              value: pick(random, ['Union labor', 'Open shop', 'Prevailing wage']),
            },
          }
        : {},
  };
}
