// The providers' default send rates: the alerts module's task queues (module.ts)
// take them, and a test or a benchmark lifts them through startWorkers({ rates }).
export interface SendRates {
  /** Twilio: a Messaging Service sends about 10 segments per second per sender in France; default 30/s. */
  smsPerSecond: number;
  /** Amazon SES: the account's sending rate (14/s out of the sandbox at first). */
  emailPerSecond: number;
  /** Web push: the browsers' push services take far more; this only keeps a city-wide alert from flooding one. */
  pushPerSecond: number;
  /** Twilio Programmable Voice: calls started per second (the account's CPS, 1 by default). */
  voicePerSecond: number;
  /** Sends in flight per worker process. */
  concurrency: number;
}

export const DEFAULT_SEND_RATES: SendRates = {
  smsPerSecond: 30,
  emailPerSecond: 14,
  pushPerSecond: 200,
  voicePerSecond: 1,
  concurrency: 50,
};
