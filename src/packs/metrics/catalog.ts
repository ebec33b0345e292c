import type { ChartPlan } from './chart.js';

/** The `top` parameter of a metric: its default and its own ceiling (the pack's hard limit also applies). */
export interface TopSpec {
  default: number;
  max?: number;
}

/** One metric: an operation of the Analytics group. */
export interface MetricSpec {
  /** Operation name. */
  name: string;
  /** Path of the operation and of the metrics service. */
  path: string;
  /** `metric_id` of the reply. */
  metricId: string;
  /** Chart title (Spanish, shown to people). */
  title: string;
  /** What it returns and when to use it. */
  description: string;
  /** The noun `top` counts ("categories"), when the metric takes `top`. */
  top?: TopSpec & { noun: string };
  /** Whether the metric takes `order` (asc | desc, default asc). */
  order?: boolean;
  chart: ChartPlan;
}

const COUNT = ['count', 'tickets', 'total', 'value'];
const HOURS = ['avg_hours', 'avg_business_hours', 'hours', 'business_hours', 'avg'];
const AGENT = ['agent', 'agent_name', 'agent_email', 'owner', 'name'];
const SOURCE = ['source', 'channel', 'origin', 'name'];

/** The nine metrics, in the order the group lists them. */
export const METRICS: readonly MetricSpec[] = [
  {
    name: 'topCategories',
    path: '/analytics/categories',
    metricId: 'metrics.top_categories',
    title: 'Categorías con más tickets',
    description: 'Ticket categories with the most tickets in a date range, largest first. Use when a supervisor asks which categories or topics generate the most tickets.',
    top: { default: 5, noun: 'categories' },
    chart: { mark: 'bar', label: ['category', 'categoria', 'name'], value: COUNT, labelTitle: 'Categoría', valueTitle: 'Tickets' },
  },
  {
    name: 'topSubcategories',
    path: '/analytics/subcategories',
    metricId: 'metrics.top_subcategories',
    title: 'Subcategorías con más tickets',
    description: 'Ticket subcategories with the most tickets in a date range, largest first, each with its category. Use when a supervisor asks for a finer breakdown than categories.',
    top: { default: 5, noun: 'subcategories' },
    chart: { mark: 'bar', label: ['subcategory', 'subcategoria', 'name'], value: COUNT, labelTitle: 'Subcategoría', valueTitle: 'Tickets' },
  },
  {
    name: 'ticketsBySource',
    path: '/analytics/sources',
    metricId: 'metrics.by_source',
    title: 'Tickets por canal',
    description: 'Number of tickets per source channel (email, chat, phone, web…) in a date range. Use when a supervisor asks where tickets come from.',
    chart: { mark: 'arc', label: SOURCE, value: COUNT, labelTitle: 'Canal', valueTitle: 'Tickets' },
  },
  {
    name: 'topAgents',
    path: '/analytics/agents',
    metricId: 'metrics.top_agents',
    title: 'Agentes con más tickets cerrados',
    description: 'Agents who closed the most tickets in a date range, largest first. Use when a supervisor asks who closed or handled the most tickets.',
    top: { default: 5, noun: 'agents' },
    chart: { mark: 'bar', label: AGENT, value: COUNT, labelTitle: 'Agente', valueTitle: 'Tickets cerrados' },
  },
  {
    name: 'closedVolume',
    path: '/analytics/closed_volume',
    metricId: 'metrics.closed_volume',
    title: 'Tickets cerrados por día',
    description: 'Number of tickets closed per day in a date range. Use when a supervisor asks how many tickets were closed, or how the closing volume evolved.',
    chart: { mark: 'line', label: ['date', 'day', 'fecha', 'period', 'week', 'month'], value: COUNT, labelTitle: 'Fecha', valueTitle: 'Tickets cerrados' },
  },
  {
    name: 'resolutionTimeByAgent',
    path: '/analytics/resolution_time/by_agent_business',
    metricId: 'metrics.resolution_time.by_agent_business',
    title: 'Tiempo medio de resolución por agente (horas hábiles)',
    description: 'Average resolution time per agent in business hours, for tickets closed in a date range. Use when a supervisor asks how fast each agent resolves tickets.',
    top: { default: 50, noun: 'agents' },
    chart: { mark: 'bar', label: AGENT, value: HOURS, labelTitle: 'Agente', valueTitle: 'Horas hábiles (promedio)' },
  },
  {
    name: 'resolutionTimeAvg',
    path: '/analytics/resolution_time/avg_business',
    metricId: 'metrics.resolution_time.avg_business',
    title: 'Tiempo medio de resolución (horas hábiles)',
    description: 'Overall average resolution time in business hours for tickets closed in a date range. Use when a supervisor asks how long tickets take to be resolved on average.',
    chart: { mark: 'bar', label: ['metric', 'name'], value: HOURS, labelTitle: 'Medida', valueTitle: 'Horas hábiles (promedio)' },
  },
  {
    name: 'resolutionTimeBySource',
    path: '/analytics/resolution_time/by_source_business',
    metricId: 'metrics.resolution_time.by_source_business',
    title: 'Tiempo medio de resolución por canal (horas hábiles)',
    description: 'Average resolution time in business hours per source channel, for tickets closed in a date range, sorted by time (order asc: fastest first; desc: slowest first). Use when a supervisor compares channels.',
    order: true,
    chart: { mark: 'bar', label: SOURCE, value: HOURS, labelTitle: 'Canal', valueTitle: 'Horas hábiles (promedio)', sort: 'data' },
  },
  {
    name: 'slowCases',
    path: '/analytics/resolution_time/slow_cases_business',
    metricId: 'metrics.resolution_time.slow_cases_business',
    title: 'Casos más lentos (horas hábiles)',
    description: 'Tickets closed in a date range that took the most business hours to resolve, slowest first. Use when a supervisor asks for the slowest or most delayed cases.',
    top: { default: 10, max: 25, noun: 'tickets' },
    chart: { mark: 'bar', label: ['ticket_id', 'id', 'subject'], value: HOURS, labelTitle: 'Ticket', valueTitle: 'Horas hábiles', sort: 'data' },
  },
];
