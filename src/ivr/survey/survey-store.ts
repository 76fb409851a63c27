/** IVR-8: one caller's answer to the post-call satisfaction survey. */
export interface SurveyResult {
  readonly interactionId: string;
  /** The agent the caller rates (the one who hung up first). */
  readonly agentId: string;
  readonly entryPoint?: string;
  /** 1 (best) .. 3 (worst) as the demo survey asks; undefined when the caller left without answering. */
  readonly score?: number;
  readonly completed: boolean;
  /** Epoch ms. */
  readonly at: number;
}

export interface AgentSurveySummary {
  readonly agentId: string;
  /** Surveys started for this agent's calls. */
  readonly offered: number;
  readonly completed: number;
  /** Completed surveys by score. */
  readonly byScore: Readonly<Record<string, number>>;
  /** Mean score of completed surveys (undefined: none yet). */
  readonly meanScore?: number;
}

/** Where survey results go; reports read the per-agent counts. */
export interface SurveyStore {
  save(r: SurveyResult): Promise<void>;
  summary(agentId: string): Promise<AgentSurveySummary>;
  list(agentId?: string): Promise<readonly SurveyResult[]>;
}

/** The embedded store: results in memory, counted per agent as they come. */
export class InMemorySurveyStore implements SurveyStore {
  protected readonly results: SurveyResult[] = [];

  async save(r: SurveyResult): Promise<void> {
    this.results.push(r);
  }

  async summary(agentId: string): Promise<AgentSurveySummary> {
    const mine = this.results.filter((r) => r.agentId === agentId);
    const done = mine.filter((r) => r.completed && r.score !== undefined);
    const byScore: Record<string, number> = {};
    for (const r of done) byScore[String(r.score)] = (byScore[String(r.score)] ?? 0) + 1;
    const meanScore = done.length ? done.reduce((s, r) => s + r.score!, 0) / done.length : undefined;
    return { agentId, offered: mine.length, completed: done.length, byScore, ...(meanScore === undefined ? {} : { meanScore }) };
  }

  async list(agentId?: string): Promise<readonly SurveyResult[]> {
    return this.results.filter((r) => agentId === undefined || r.agentId === agentId);
  }
}
