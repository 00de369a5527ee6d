import type { ProcoreProject } from '../../procore/types';
import type { ProjectSummary } from '../../projects/project-summary';
import { formatAge } from '../projects/view-model';
import type { LayoutView } from './layout';
import { localsOf } from './locals';

/** Procore's project, or the few fields a saved list keeps when Procore is not answering. */
export type ProjectDetails = Pick<ProcoreProject, 'name'> & Partial<ProcoreProject>;

export interface ProjectView {
  layout: LayoutView;
  project: ProjectDetails;
  backHref: string;
  /** The project in Procore's web app. */
  procoreHref: string;
  /** Shown from the saved list because Procore did not answer; `age` says how old it is. */
  stale: boolean;
  age: string | undefined;
}

export const PROJECT_LOCALS = localsOf<ProjectView>({ layout: true, project: true, backHref: true, procoreHref: true, stale: true, age: true });

export function projectPage(layout: LayoutView, view: { project: ProcoreProject; backHref: string; procoreHref: string }): ProjectView {
  return { layout, project: view.project, backHref: view.backHref, procoreHref: view.procoreHref, stale: false, age: undefined };
}

export function staleProjectPage(layout: LayoutView, view: { project: ProjectSummary; fetchedAt: number; now: number; backHref: string; procoreHref: string }): ProjectView {
  const { project } = view;
  return {
    layout,
    project: {
      name: project.name,
      display_name: null,
      project_number: project.number,
      stage: project.stage,
      active: project.active,
      address: project.address,
      city: project.city,
      state_code: project.stateCode,
    },
    backHref: view.backHref,
    procoreHref: view.procoreHref,
    stale: true,
    age: formatAge(view.now - view.fetchedAt),
  };
}
