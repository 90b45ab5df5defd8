export { WorkingCalendar, type TimeZone } from '@lapor-hub/lib';
