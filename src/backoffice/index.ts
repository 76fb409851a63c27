/** The back office (SEC-1, SEC-7, SEC-8, CRM-1): the port and the built-in simulator. */
export * from './port.ts';
export { DEMO_ACCOUNTS } from './simulator/demo-accounts.ts';
export { SimulatedBackOffice, type SimulatorOptions } from './simulator/simulated-back-office.ts';
export { HttpBackOffice } from './http/http-backoffice.ts';
export { serveBackOffice, backOfficeRoutes } from './http/serve-backoffice.ts';
export { backofficeOpenApi } from './http/openapi.ts';
export { BIRTHDAY_WINDOW_DAYS, REMINDER_KINDS, daysToBirthday, serviceReminders, type Reminder } from './reminders.ts';
