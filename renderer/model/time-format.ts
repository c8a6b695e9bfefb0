import dayjs from 'dayjs';

/**
 * Dates and times on screen: 24-hour, year first, whatever the system's locale — the format the
 * date pickers, the search results and the cameras' own overlays use. `toLocaleString()` followed
 * the OS, not the app's language (a Chinese UI on an English system read "11/24/2026, 10:08 PM"),
 * and two operators comparing notes must read the same thing. `at`: epoch ms or an ISO 8601 string.
 */
export const formatDateTime = (at: number | string): string => dayjs(at).format('YYYY-MM-DD HH:mm:ss');

/** The time of day; `seconds: false` for coarse timeline ticks. */
export const formatTime = (at: number | string, seconds = true): string =>
  dayjs(at).format(seconds ? 'HH:mm:ss' : 'HH:mm');

/** A day on the timeline's ruler (its year is the date picker's). */
export const formatMonthDay = (at: number | string): string => dayjs(at).format('MM-DD');
