/**
 * Deterministic sample data: the same options always give the same companies and projects,
 * with realistic construction names, US addresses, stages and project numbers.
 */
import type { ProcoreCompany, ProcoreProject } from '../src/procore/types';
import type { EmulatorCompanySpec, ProjectShape } from './contracts';
import { ACTIVE_STAGES, INACTIVE_STAGES, PROJECT_STAGE_REFS, publishedExtras } from './project-extras';

/**
 * A project as the emulator keeps it: every field of both shapes (./project-shapes.ts picks what
 * a company's shape sends). `stage` and `project_stage` name the same stage; both are null when a
 * published-shape project has none.
 */
export interface EmulatorProject extends ProcoreProject {
  display_name: string;
  project_number: string | null;
  address: string;
  city: string;
  state_code: string;
  created_at: string;
  updated_at: string;
  active: boolean;
  stage: string | null;
  project_stage: { id: number; name: string } | null;
  company: { id: number; name: string };
}

export interface EmulatorData {
  companies: ProcoreCompany[];
  /** Every project of a company, ordered by id. */
  projectsByCompany: Map<number, EmulatorProject[]>;
  companyById: Map<number, ProcoreCompany>;
  /** How each company's projects are serialized (default: the published shape). */
  shapeByCompany: Map<number, ProjectShape>;
  /** Each company's zone (default US01). */
  zoneByCompany: Map<number, string>;
  /** Free companies: listed only with include_free_companies=true. */
  freeCompanyIds: Set<number>;
}

/** The zone a company lives in unless its spec names another. */
export const DEFAULT_ZONE = 'US01';

/** Project ids start above 2^32 as well, so clients never squeeze them into 32 bits. */
const PROJECT_ID_BASE = 6_000_000_000;
const PROJECT_IDS_PER_COMPANY = 100_000;

export const PROJECT_STAGES: readonly string[] = PROJECT_STAGE_REFS.map((stage) => stage.name);

interface City {
  city: string;
  state: string;
  zip: string;
  county: string;
  lat: number;
  lng: number;
  area: string;
}

const CITIES: readonly City[] = [
  { city: 'Austin', state: 'TX', zip: '78701', county: 'Travis', lat: 30.2672, lng: -97.7431, area: '512' },
  { city: 'Denver', state: 'CO', zip: '80202', county: 'Denver', lat: 39.7392, lng: -104.9903, area: '303' },
  { city: 'Portland', state: 'OR', zip: '97204', county: 'Multnomah', lat: 45.5152, lng: -122.6784, area: '503' },
  { city: 'Phoenix', state: 'AZ', zip: '85004', county: 'Maricopa', lat: 33.4484, lng: -112.074, area: '602' },
  { city: 'Nashville', state: 'TN', zip: '37203', county: 'Davidson', lat: 36.1627, lng: -86.7816, area: '615' },
  { city: 'Charlotte', state: 'NC', zip: '28202', county: 'Mecklenburg', lat: 35.2271, lng: -80.8431, area: '704' },
  { city: 'Sacramento', state: 'CA', zip: '95814', county: 'Sacramento', lat: 38.5816, lng: -121.4944, area: '916' },
  { city: 'Columbus', state: 'OH', zip: '43215', county: 'Franklin', lat: 39.9612, lng: -82.9988, area: '614' },
  { city: 'Salt Lake City', state: 'UT', zip: '84101', county: 'Salt Lake', lat: 40.7608, lng: -111.891, area: '801' },
  { city: 'Raleigh', state: 'NC', zip: '27601', county: 'Wake', lat: 35.7796, lng: -78.6382, area: '919' },
  { city: 'Boise', state: 'ID', zip: '83702', county: 'Ada', lat: 43.615, lng: -116.2023, area: '208' },
  { city: 'Minneapolis', state: 'MN', zip: '55401', county: 'Hennepin', lat: 44.9778, lng: -93.265, area: '612' },
  { city: 'Tampa', state: 'FL', zip: '33602', county: 'Hillsborough', lat: 27.9506, lng: -82.4572, area: '813' },
  { city: 'Kansas City', state: 'MO', zip: '64105', county: 'Jackson', lat: 39.0997, lng: -94.5786, area: '816' },
  { city: 'Seattle', state: 'WA', zip: '98104', county: 'King', lat: 47.6062, lng: -122.3321, area: '206' },
  { city: 'San Antonio', state: 'TX', zip: '78205', county: 'Bexar', lat: 29.4241, lng: -98.4936, area: '210' },
];

const PLACES = [
  'Riverside',
  'Harbor Point',
  'Oak Ridge',
  'Cedar Hills',
  'Westgate',
  'Lakeview',
  'Summit',
  'Eastside',
  'Granite Park',
  'Maple Grove',
  'Pioneer Square',
  'Canyon Creek',
  'Northgate',
  'Willow Bend',
  'Ironwood',
  'Bayfront',
  'Stonebridge',
  'Meadowbrook',
  'Union Station',
  'Founders',
  'Mesa Verde',
  'Red Oak',
  'Silver Lake',
  'Brookhaven',
  'Copper Hill',
];

const BUILDINGS = [
  'Medical Office Building',
  'Elementary School',
  'Parking Garage',
  'Mixed-Use Development',
  'Distribution Center',
  'Fire Station',
  'Public Library',
  'Apartments',
  'Hospital Expansion',
  'Water Treatment Plant',
  'Community Center',
  'Data Center',
  'Senior Living',
  'Office Tower',
  'Bridge Replacement',
  'Retail Center',
  'Hotel',
  'Transit Center',
  'Science Building',
  'Corporate Campus',
  'High School Gymnasium',
  'Cold Storage Warehouse',
  'Police Headquarters',
];

const SUFFIXES = ['', '', '', '', 'Phase 2', 'Phase 3', 'Renovation', 'Tenant Improvements', 'Site Work', 'Expansion'];

const STREETS = [
  'Main St',
  'Oak Ave',
  '5th St',
  'Commerce Blvd',
  'Industrial Pkwy',
  'Market St',
  'Elm St',
  'Lake Shore Dr',
  'Broadway',
  'Airport Rd',
  'Mill St',
  'Washington Ave',
  'Congress Ave',
  'River Rd',
  'Center St',
];

/** mulberry32: small, fast, deterministic. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** ISO 8601 without milliseconds, as Procore writes timestamps. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DATA_EPOCH = Date.UTC(2019, 0, 1);
const DATA_SPAN_MS = Date.UTC(2025, 0, 1) - DATA_EPOCH;

function generateProjects(
  company: ProcoreCompany,
  companyIndex: number,
  count: number,
  shape: ProjectShape,
): EmulatorProject[] {
  const random = seededRandom(Number(BigInt(company.id) % 4294967291n) ^ 0x5eed);
  // A second stream for the published fields and nulls, so the first one (names, numbers) stays as it was.
  const extraRandom = seededRandom(Number(BigInt(company.id) % 4294967291n) ^ 0xe7a5);
  const usedNames = new Set<string>();
  const numberByYear = new Map<number, number>();
  const projects: EmulatorProject[] = [];
  for (let i = 0; i < count; i += 1) {
    let name = '';
    for (let attempt = 0; attempt < 20 && (name === '' || usedNames.has(name)); attempt += 1) {
      const building = pick(random, BUILDINGS);
      const base =
        building === 'Fire Station'
          ? `${pick(random, PLACES)} Fire Station No. ${1 + Math.floor(random() * 40)}`
          : `${pick(random, PLACES)} ${building}`;
      const suffix = pick(random, SUFFIXES);
      name = suffix && !base.includes(suffix) ? `${base} ${suffix}` : base;
    }
    if (usedNames.has(name)) name = `${name} (Building ${i + 1})`;
    usedNames.add(name);

    const createdMs = DATA_EPOCH + Math.floor(random() * DATA_SPAN_MS);
    const updatedMs = createdMs + Math.floor(random() * 400 * 86_400_000);
    const year = new Date(createdMs).getUTCFullYear();
    const sequence = (numberByYear.get(year) ?? 0) + 1;
    numberByYear.set(year, sequence);
    const projectNumber = random() < 0.06 ? null : `${year}-${String(sequence).padStart(3, '0')}`;
    const active = random() >= 0.15;
    const drawn: string = active ? pick(random, ACTIVE_STAGES) : pick(random, INACTIVE_STAGES);
    // Published-shape companies leave some stages unset, as real ones do.
    const stage = shape === 'published' && extraRandom() < 0.06 ? null : drawn;
    const stageRef = PROJECT_STAGE_REFS.find((candidate) => candidate.name === stage);
    const city = pick(random, CITIES);
    const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;
    const id = PROJECT_ID_BASE + companyIndex * PROJECT_IDS_PER_COMPANY + i + 1;
    projects.push({
      id,
      name,
      display_name: projectNumber ? `${projectNumber} - ${name}` : name,
      project_number: projectNumber,
      address: `${100 + Math.floor(random() * 9800)} ${pick(random, STREETS)}`,
      city: city.city,
      state_code: city.state,
      country_code: 'US',
      zip: city.zip,
      county: `${city.county} County`,
      latitude: round6(city.lat + (random() - 0.5) * 0.2),
      longitude: round6(city.lng + (random() - 0.5) * 0.2),
      stage,
      project_stage: stageRef ? { id: stageRef.id, name: stageRef.name } : null,
      phone: `(${city.area}) 555-01${String(Math.floor(random() * 100)).padStart(2, '0')}`,
      created_at: isoSeconds(createdMs),
      updated_at: isoSeconds(updatedMs),
      active,
      origin_id: random() < 0.1 ? `ERP-${10_000 + i}` : null,
      origin_data: null,
      company: { id: company.id, name: company.name },
      ...publishedExtras({
        id,
        name,
        projectNumber,
        city: city.city,
        stateCode: city.state,
        createdMs,
        stage,
        random: extraRandom,
      }),
    });
  }
  return projects;
}

export function buildData(specs: readonly EmulatorCompanySpec[]): EmulatorData {
  // Company: the published "List Companies" item (`my_company` is set per caller by the route).
  const companies: ProcoreCompany[] = specs.map((spec) => ({
    id: spec.id,
    name: spec.name,
    is_active: true,
    logo_url: null,
    pcn_business_experience: false,
  }));
  const projectsByCompany = new Map<number, EmulatorProject[]>();
  const companyById = new Map<number, ProcoreCompany>();
  const shapeByCompany = new Map<number, ProjectShape>();
  const zoneByCompany = new Map<number, string>();
  const freeCompanyIds = new Set<number>();
  companies.forEach((company, index) => {
    const shape = specs[index]?.projectShape ?? 'published';
    companyById.set(company.id, company);
    shapeByCompany.set(company.id, shape);
    zoneByCompany.set(company.id, specs[index]?.zone ?? DEFAULT_ZONE);
    if (specs[index]?.free) freeCompanyIds.add(company.id);
    projectsByCompany.set(company.id, generateProjects(company, index, specs[index]?.projectCount ?? 0, shape));
  });
  return { companies, projectsByCompany, companyById, shapeByCompany, zoneByCompany, freeCompanyIds };
}
