// The server module's public face: other modules import it from here only.
export { buildApp } from './app.js';
