// The notices module's public face: other modules import it from here only.
export { noticesModule } from './module.js';
export { enqueueNoticeSends, type NoticeChannel, type NoticeSeverity } from './enqueue.js';
