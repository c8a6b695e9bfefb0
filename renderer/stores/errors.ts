/** The error every store action rejects with (platform code and message included), for components to show. */
export { VigilError } from '../ipc';
