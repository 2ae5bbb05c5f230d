// Registering a resident at the mairie's counter (issue 12): for residents
// without internet, an agent creates the account on their behalf. The agent
// sees the proof of address on paper and records only its kind, from a fixed
// list: no document is ever stored. The residence is active at once (the
// agent is who verified it), the mobile the agent checked is verified, and
// urgent and important alerts reach the resident by SMS, or by a voice call
// to a landline. With an email they are also invited (the operator's
// invitation link) to choose a password and use the portal; without one,
// nobody is invited and the account cannot sign in.
//
// Everything is written in the caller's transaction: a refusal leaves nothing.
import type { Knex } from 'knex';
import { fail } from './errors.js';
import { resolveAddress } from './residences.js';
import {
  createResidentAccount,
  normalizeDisplayName,
  normalizeEmail,
  normalizePhone,
  sendInvitation,
  type AccountMessenger,
  type AccountWithEmail,
} from '../identity/index.js';
import { DEFAULT_PREFERENCES, normalizeVoiceNumber, savePreferences } from '../notifications/index.js';
import type { Channel } from '../notifications/index.js';
import { audit } from '../lib/audit.js';
import { COUNTER_PROOF_KINDS, type CounterProofKind } from './proof-kinds.js';

type Trx = Knex.Transaction;

export interface CounterRegistration {
  tenantId: string;
  /** The agent at the counter: who saw the proof and checked the phone. */
  agentAccountId: string;
  displayName: string;
  /** One of the commune's BAN addresses (the address search). */
  addressId: string;
  /** A mobile (06, 07 or E.164 abroad): alerts by SMS. */
  mobile?: string | null;
  /** A landline (01–05, 09) or any number a call reaches: alerts by voice call. */
  landline?: string | null;
  email?: string | null;
  locale?: 'fr' | 'en';
  proofKind: string;
  requestId?: string;
}

export interface CounterRegistered {
  accountId: string;
  /** As stored (spaces tidied). */
  displayName: string;
  residenceId: string;
  addressLabel: string;
  sectorId: string;
  sectorName: string;
  /** E.164 numbers, as stored. */
  smsTo: string | null;
  voiceTo: string | null;
  /** The channels of important and urgent alerts. */
  channels: { important: Channel[]; urgent: Channel[] };
  invitationSent: boolean;
}

export interface CounterDeps {
  messenger: AccountMessenger;
  portalUrl: string;
}

const blank = (v: string | null | undefined) => v === undefined || v === null || v.trim() === '';

function channelsFor(sms: boolean, voice: boolean, email: boolean) {
  const extra: Channel[] = email ? ['email'] : [];
  const important: Channel[] = ['in_app', ...extra, sms ? 'sms' : 'voice'];
  // An urgent alert rings the landline too: a flood at night is why a landline is called.
  const urgent: Channel[] = ['in_app', ...extra];
  if (sms) urgent.push('sms');
  if (voice) urgent.push('voice');
  return { important, urgent };
}

/** Numbers are unique among live accounts: one person, one account (the agent may be asked twice). */
async function assertPhoneFree(trx: Trx, number: string, field: 'mobile' | 'landline'): Promise<void> {
  // Two agents registering the same number at once: the second waits, then sees the first.
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`counter-phone:${number}`]);
  const taken = await trx('accounts as a')
    .leftJoin('notification_preferences as p', 'p.account_id', 'a.id')
    .whereNot('a.status', 'deleted')
    .where((q) => q.where('a.phone', number).orWhere('p.voice_phone', number))
    .first('a.id');
  if (taken) throw fail('COUNTER_PHONE_TAKEN', undefined, { field });
}

export async function registerAtCounter(
  trx: Trx,
  r: CounterRegistration,
  deps: CounterDeps,
): Promise<CounterRegistered> {
  if (!Object.hasOwn(COUNTER_PROOF_KINDS, r.proofKind)) throw fail('COUNTER_PROOF_KIND_UNKNOWN');
  const proofKind = r.proofKind as CounterProofKind;
  const displayName = normalizeDisplayName(r.displayName);
  if (blank(r.mobile) && blank(r.landline)) throw fail('COUNTER_PHONE_REQUIRED');
  const mobile = blank(r.mobile) ? null : normalizePhone(r.mobile!);
  const landline = blank(r.landline) ? null : normalizeVoiceNumber(r.landline!);
  const email = blank(r.email) ? null : normalizeEmail(r.email!);
  const locale = r.locale ?? 'fr';

  const address = await resolveAddress(trx, { addressId: r.addressId });
  if (!address.addressId) throw fail('ADDRESS_NOT_FOUND');
  if (!address.sectorId) throw fail('COUNTER_ADDRESS_NO_SECTOR');
  const sector = (await trx('sectors').where({ id: address.sectorId }).first('id', 'name')) as
    { id: string; name: string } | undefined;
  if (!sector) throw fail('COUNTER_ADDRESS_NO_SECTOR');
  const again = await trx('residences as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .where({ 'r.address_id': address.addressId, 'r.status': 'active' })
    .whereNot('a.status', 'deleted')
    .whereRaw('lower(a.display_name) = lower(?)', [displayName])
    .first('r.id');
  if (again) throw fail('COUNTER_ALREADY_REGISTERED');
  if (mobile) await assertPhoneFree(trx, mobile, 'mobile');
  if (landline && landline !== mobile) await assertPhoneFree(trx, landline, 'landline');

  const account = await createResidentAccount(trx, r.tenantId, {
    displayName,
    email,
    phone: mobile,
    locale,
    phoneVerified: mobile !== null,
    grantedBy: r.agentAccountId,
  });
  const now = new Date();
  const [residence] = (await trx('residences')
    .insert({
      tenant_id: r.tenantId,
      account_id: account.id,
      address_id: address.addressId,
      sector_id: sector.id,
      address_label: address.label,
      status: 'active',
      source: 'counter',
      review_level: 'mairie',
      submitted_at: now,
      activated_at: now,
      decided_at: now,
      decided_by: r.agentAccountId,
    })
    .returning('id')) as Array<{ id: string }>;
  const channels = channelsFor(mobile !== null, landline !== null, email !== null);
  await savePreferences(trx, r.tenantId, account.id, {
    ...DEFAULT_PREFERENCES,
    channels: { info: ['in_app'], ...channels },
    voicePhone: landline,
  });
  let invitationSent = false;
  if (email) {
    const commune = (await trx('tenants').where({ id: r.tenantId }).first('name')) as { name: string };
    await sendInvitation(
      trx,
      account as AccountWithEmail,
      deps.messenger,
      { portalUrl: deps.portalUrl },
      commune.name,
    );
    invitationSent = true;
  }
  // What was seen and checked, and by whom; never a number, a name or a document.
  await audit(trx, {
    tenantId: r.tenantId,
    actor: { type: 'account', id: r.agentAccountId },
    action: 'residents.registered_at_counter',
    target: { type: 'account', id: account.id },
    meta: {
      residenceId: residence!.id,
      sectorId: sector.id,
      proof: `Justificatif vu au guichet par l’agent ${r.agentAccountId}, non conservé`,
      proofKind,
      proofLabel: COUNTER_PROOF_KINDS[proofKind].fr,
      verifiedBy: r.agentAccountId,
      phoneVerification: mobile ? 'Téléphone mobile vérifié par l’agent au guichet' : null,
      landline: landline !== null,
      email: email !== null,
      invitationSent,
    },
    ...(r.requestId ? { requestId: r.requestId } : {}),
  });
  return {
    accountId: account.id,
    displayName,
    residenceId: residence!.id,
    addressLabel: address.label,
    sectorId: sector.id,
    sectorName: sector.name,
    smsTo: mobile,
    voiceTo: landline,
    channels,
    invitationSent,
  };
}
