// The services a plugin may use, as types only: what plugins see of the core.
// They receive an implementation (plugins/services.ts) through the GraphQL
// context (ctx.services), the Fastify instance (app.services) and their
// activities' deps (deps.services), and never import platform internals.
// This file has no runtime import: the plugin contract sits on it.
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { AuditEntry } from '../lib/audit.js';
import type { Role } from '../identity/index.js';
import type { Alert, Category } from '../alerts/index.js';
import type { Ref } from '../core/lifecycle.js';
import type { Severity } from '../notifications/index.js';
import type { tenantWorkflowOptions } from '../temporal/index.js';
import type { PhoneCallOutcome } from '../core/phone-calls.js';
import type { CounterRegistered, CounterRegistration } from '../residents/index.js';

type Trx = Knex.Transaction;

export interface Community {
  /** A community is one sector of the commune, seen as a social group. */
  id: string;
  name: string;
  kind: string;
  status: string;
}

export interface CommunityMember {
  accountId: string;
  displayName: string;
  since: Date | null;
}

export interface NotifyInput {
  tenantId: string;
  accountIds: string[];
  kind: string;
  /** In French: what every account reads unless it chose English and `en` is given. */
  title: string;
  body: string;
  /**
   * The same notice in English. A plugin cannot see an account's language, so
   * it gives both and the platform picks per recipient (accounts.locale).
   */
  en?: { title: string; body: string };
  link?: string | null;
  meta?: Record<string, unknown>;
  /** Same key twice: stored once (retried activities). */
  dedupeKey?: string;
  /**
   * Also by SMS and email, as each account can be reached (a verified phone,
   * an email), not opted out and outside its quiet hours (urgent excepted),
   * sent by a workflow once the transaction commits (platform/src/notices).
   * In-app always.
   */
  channels?: ReadonlyArray<'sms' | 'email'>;
  /** How loud the SMS and email are (quiet hours hold all but urgent). Default info. */
  severity?: 'info' | 'important' | 'urgent';
}

/**
 * A call to a phone number that is not an account (a landline of the CCAS
 * register, the contact person of a holiday absence): text-to-speech through
 * Twilio Programmable Voice, the message read twice, then the prompt inside a
 * one-key <Gather>. The outcome goes back to the handler the asker contributed
 * to `coreExtensions.phoneCalls` under `handler`.
 */
export interface PhoneCallRequest {
  tenantId: string;
  /** The id of the handler told the outcome (the plugin's id). */
  handler: string;
  /** One call per (handler, key): a retried activity asks again and gets the same call. */
  key: string;
  /**
   * The number to call, E.164 or as the French write it (01 60 43 00 00); refused VOICE_NUMBER_INVALID.
   * By SMS, a mobile (06 or 07, or E.164 abroad); refused PHONE_CALL_NOT_MOBILE.
   */
  to: string;
  /**
   * `voice` (default): a call read by text-to-speech. `sms`: the message and
   * the prompt texted (through the commune's number, never to an opted-out
   * number), and the reply from that number stands for the key: OUI (OK, 1…;
   * not YES, the START keyword) is `confirmed`, any other text `other_key`, silence until
   * `replyWithinSeconds` has passed `no_answer`. `replies` are texted back.
   */
  channel?: 'voice' | 'sms';
  /** SMS only: how long the reply is awaited, in seconds, up to 30 days (default one day). */
  replyWithinSeconds?: number;
  /** Language of the voice and of the platform's sentences (« Je répète. »); default fr. */
  locale?: 'fr' | 'en';
  /** What the call says (read twice), 1 to 1,000 characters. */
  message: string;
  /** « Si tout va bien, appuyez sur 1. »: asked after the message, one key awaited; none: a message only. */
  prompt?: string;
  /** Said after the key: 1 (`confirmed`), or another (`otherKey`). Defaults: thanks, goodbye. */
  replies?: { confirmed?: string; otherKey?: string };
  /** Rings outside the commune's calling hours when the commune allows urgent calls at any hour. */
  urgent?: boolean;
  /** Handed back with the outcome: the asker's ids (never a name or a number), at most 2 kB. */
  context?: Record<string, unknown>;
}

export interface PhoneCallStatus {
  id: string;
  status: 'pending' | 'calling' | 'done';
  outcome: PhoneCallOutcome | null;
  reason: string | null;
  attempts: number;
  /** When the next attempt may ring (calling hours, the delay after no answer). */
  notBefore: Date;
  settledAt: Date | null;
}

/** One audit log entry, as plugins may read it (referents seeing each other's actions). */
export interface AuditRecord {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  meta: Record<string, unknown>;
}

export interface AuditFilter {
  /** e.g. `voisins-vigilants.`: a plugin reads its own actions. */
  actionPrefix?: string;
  /** Entries whose meta contains these values (jsonb containment), e.g. `{ communityId }`. */
  meta?: Record<string, string | number | boolean>;
  actorId?: string;
  /** Newest first; at most 200. */
  limit?: number;
  /** Entries older than this id (pagination). */
  before?: string;
}

export interface SectorRedrawn {
  id: string;
  name: string;
  areaM2: number;
  /** Other active sectors the new outline overlaps (saved because the caller confirmed). */
  overlaps: Array<{ id: string; name: string }>;
  /** Addresses that changed sector. */
  movedAddresses: number;
}

/** An alert of the core model, as plugins read it (status, target, category id…). */
export type PlatformAlert = Alert;
/** One of the commune's alert categories (labels in French and English). */
export type AlertCategory = Category;
export type AlertSeverity = Severity;

export interface RaiseAlertRequest {
  tenant: { id: string; slug: string };
  /** A resident: they alert their own community, which also reaches the police and the mairie. */
  author: { accountId: string };
  origin: 'web' | 'sms' | 'api';
  /** Must be the author's own community (ALERT_TARGET_INVALID otherwise). */
  communityId: string;
  /** Slug of an active category (ALERT_CATEGORY_UNKNOWN otherwise). */
  category: string;
  /** Defaults to the category's severity. */
  severity?: AlertSeverity;
  /** What recipients read: 1 to 1,000 characters (ALERT_TEXT_INVALID otherwise). */
  text: string;
  location?: { lon: number; lat: number };
  /**
   * A photo the author uploaded through POST /alerts/photos (JPEG or PNG, 10 MB
   * at most, metadata stripped), not attached to another alert yet; attached
   * to this one in the same transaction (ALERT_PHOTO_INVALID otherwise).
   */
  photoKey?: string;
  requestId?: string;
  /** Added to the audit entry, e.g. `{ plugin: 'voisins-vigilants' }`. */
  meta?: Record<string, unknown>;
}

/** A resident registered at the counter by a mairie agent (residents/counter.ts). */
export type CounterRegistrationRequest = CounterRegistration;
export type CounterRegistrationDone = CounterRegistered;

export interface PlatformServices {
  /**
   * What the modules and plugins of this instance provide (their extension
   * points and services, core/lifecycle.ts), by typed ref: a plugin's own
   * extension point reaches its resolvers and activities this way.
   */
  get<T>(ref: Ref<T>): T;
  /**
   * Encryption at rest of a sensitive field (a door code, who holds the keys),
   * with a key per commune and purpose derived from the instance's secret
   * (AES-256-GCM). `purpose` names the field, e.g. `tranquillite-vacances.door-code`:
   * a value sealed for one purpose or commune does not open for another.
   */
  secrets: {
    seal(tenantId: string, purpose: string, plaintext: string): string;
    /** Throws when the value was not sealed for this commune and purpose, or was altered. */
    open(tenantId: string, purpose: string, sealed: string): string;
  };
  audit(trx: Trx, entry: AuditEntry): Promise<void>;
  /** Reads the commune's audit log (the caller checks who may). */
  auditLog(trx: Trx, filter: AuditFilter): Promise<AuditRecord[]>;
  plugins: {
    /**
     * The plugin's settings for the transaction's commune, or null when the
     * plugin is disabled there. Activities and timers check it: a disabled
     * plugin must not act for that commune (no notification, no reminder).
     */
    settings(trx: Trx, pluginId: string): Promise<Record<string, unknown> | null>;
  };
  roles: {
    grant(
      trx: Trx,
      g: {
        tenantId: string;
        accountId: string;
        role: Role;
        scopeId: string | null;
        grantedBy: string | null;
      },
    ): Promise<void>;
    revoke(trx: Trx, g: { accountId: string; role: Role; scopeId: string | null }): Promise<number>;
    /** Accounts holding a role (scoped to a community when scopeId is given). */
    holders(trx: Trx, role: Role, scopeId: string | null): Promise<string[]>;
  };
  communities: {
    list(trx: Trx): Promise<Community[]>;
    get(trx: Trx, id: string): Promise<Community | undefined>;
    /** The community of an account's active residence. */
    of(trx: Trx, accountId: string): Promise<Community | undefined>;
    members(
      trx: Trx,
      communityId: string,
      page?: { limit?: number; offset?: number },
    ): Promise<CommunityMember[]>;
    memberCount(trx: Trx, communityId: string): Promise<number>;
    /** Members' households (distinct addresses) and the community's BAN addresses. */
    coverage(trx: Trx, communityId: string): Promise<{ households: number; addresses: number }>;
    /** Activates a membership validated by hand (address outside the BAN import). */
    activateManual(
      trx: Trx,
      m: {
        tenantId: string;
        accountId: string;
        communityId: string;
        addressLabel: string;
        decidedBy: string;
      },
    ): Promise<void>;
    /** Ends a membership (the resident left or was excluded). */
    end(
      trx: Trx,
      m: { accountId: string; communityId: string; reason: string; decidedBy: string | null },
    ): Promise<boolean>;
    /**
     * Reactivates the latest membership that `end` closed (an exclusion
     * overturned on appeal), keeping its address. False when there is none or
     * when the account has an active residence elsewhere (it moved meanwhile).
     */
    reinstate(
      trx: Trx,
      m: { accountId: string; communityId: string; reason: string; decidedBy: string },
    ): Promise<boolean>;
  };
  accounts: {
    /** Display names only: neighbours never see addresses, phones or emails. */
    displayNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>>;
  };
  residents: {
    /**
     * Registers a resident at the mairie's counter, in the caller's
     * transaction (the caller checks who may): the account (no password, email
     * optional, the mobile verified by the agent), an active residence in the
     * address's sector verified by the agent (source `counter`, the proof's
     * kind audited, no document), preferences so that important and urgent
     * alerts go by SMS or by a voice call to the landline, and with an email
     * the invitation to choose a password. Refusals: ADDRESS_NOT_FOUND,
     * COUNTER_ADDRESS_NO_SECTOR, COUNTER_ALREADY_REGISTERED,
     * COUNTER_PHONE_REQUIRED, COUNTER_PHONE_TAKEN, PHONE_INVALID,
     * VOICE_NUMBER_INVALID, EMAIL_INVALID, EMAIL_TAKEN, DISPLAY_NAME_INVALID,
     * COUNTER_PROOF_KIND_UNKNOWN.
     */
    registerAtCounter(trx: Trx, r: CounterRegistrationRequest): Promise<CounterRegistrationDone>;
  };
  sectors: {
    /**
     * Redraws a community's boundary through the sector API and its safeguards
     * (valid GeoJSON, inside the commune, overlaps refused unless confirmed,
     * addresses reassigned and their residents told). The caller checks who may.
     */
    redraw(
      trx: Trx,
      r: { tenantId: string; sectorId: string; geometry: unknown; confirmOverlap?: boolean },
    ): Promise<SectorRedrawn>;
  };
  /** Tells accounts something in the app (inbox + live push). */
  notify(trx: Trx, n: NotifyInput): Promise<void>;
  /**
   * Calls a number that is not an account (platform/src/calls): recorded in
   * the caller's transaction, placed by a workflow once it commits, within the
   * commune's calling hours (alerts.voiceCallStart–voiceCallEnd), never to a
   * number on the do-not-call list, called again after alerts.voiceRetrySeconds
   * when nobody answered (alerts.voiceAttempts calls at most). The outcome
   * reaches the handler named in the request.
   */
  phoneCalls: {
    place(trx: Trx, r: PhoneCallRequest): Promise<{ callId: string; created: boolean }>;
    status(trx: Trx, callId: string): Promise<PhoneCallStatus | undefined>;
    /**
     * Deletes the asker's calls whose key starts with `keyPrefix` (consent
     * withdrawn, an erasure): their number and words go at once; a call under
     * way stops at its next step, and its handler is not told. Returns how many.
     */
    forget(trx: Trx, q: { handler: string; keyPrefix: string }): Promise<number>;
  };
  /**
   * The core alert model and its guaranteed delivery. Plugins raise and read
   * alerts here instead of keeping their own: the police see one list, and
   * every alert reaches every recipient or is recorded as failed.
   */
  alerts: {
    /** The commune's active categories (with the retired ones if asked), in display order. */
    categories(trx: Trx, tenantId: string, opts?: { includeRetired?: boolean }): Promise<AlertCategory[]>;
    /**
     * Records the alert (history, audit) in the caller's transaction and, once
     * it has committed, starts its delivery to the community, the police and
     * the mairie. A start lost to a crash is redone by the housekeeping schedule.
     */
    raise(trx: Trx, r: RaiseAlertRequest): Promise<PlatformAlert>;
    /** The author's latest alert of a category since `since` that is not closed yet (duplicate merging). */
    recentByAuthor(
      trx: Trx,
      q: { accountId: string; category: string; since: Date },
    ): Promise<PlatformAlert | undefined>;
    /** Merges a duplicate into an alert already raised: its text gains a dated follow-up; nothing is sent again. */
    append(
      trx: Trx,
      a: { tenantId: string; alertId: string; text: string; byAccountId: string; requestId?: string },
    ): Promise<PlatformAlert>;
    /** Alerts that reached a community (its own, and the whole commune's), newest first, at most 50. */
    listForCommunity(trx: Trx, communityId: string, opts?: { limit?: number }): Promise<PlatformAlert[]>;
    get(trx: Trx, id: string): Promise<PlatformAlert | undefined>;
    /** Was the account sent this alert (any channel)? */
    isRecipient(trx: Trx, alertId: string, accountId: string): Promise<boolean>;
  };
  workflows: {
    client(): Client;
    taskQueue(): string;
    /** Start options with the business-key ID `<slug>/<kind>/<key>` and the TenantId search attribute. */
    options(
      tenant: { id: string; slug: string },
      kind: string,
      key: string,
    ): ReturnType<typeof tenantWorkflowOptions>;
  };
}
