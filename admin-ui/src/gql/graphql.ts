/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AlertAuthorKind = 'mairie' | 'police' | 'resident' | 'system';

export type AlertClosure = 'solved' | 'unfounded';

export type AlertFilter = {
  sectorId?: string | null | undefined;
  severities?: Array<AlertSeverity> | null | undefined;
  since?: string | null | undefined;
  statuses?: Array<AlertStatus> | null | undefined;
};

export type AlertFollowUpKind =
  /** « Fin d'alerte » : it is over; the alert is closed. */
  | 'end'
  /** « Suite » : news of the same situation. */
  | 'update';

export type AlertLocationInput = {
  lat: number;
  lon: number;
};

export type AlertSeverity = 'important' | 'info' | 'urgent';

export type AlertStatus = 'acknowledged' | 'closed' | 'in_progress' | 'received';

export type AlertTargetInput = {
  /** kind area: the zone as GeoJSON (a Polygon, or a MultiPolygon), longitude then latitude. */
  area?: string | null | undefined;
  kind: AlertTargetKind;
  sectorIds?: Array<string> | null | undefined;
};

export type AlertTargetKind =
  /** A zone drawn on the map (staff): whoever lives inside it. */
  | 'area'
  | 'commune'
  /** The author's own community (or, for staff, the one sector given). */
  | 'community'
  | 'sectors';

export type AppealDecision = 'reinstate' | 'uphold';

/** A proof of address the agent saw at the counter (never stored, only its kind). */
export type CounterProofKind =
  | 'energy_bill'
  | 'home_insurance'
  | 'rent_receipt'
  | 'tax_notice'
  | 'telecom_bill'
  | 'title_deed'
  | 'water_bill';

export type CounterRegistrationInput = {
  /** One of the commune's addresses (addressSearch). */
  addressId: string;
  /** The name neighbours and the police see (2 to 40 characters). */
  displayName: string;
  /** With an email, the resident is invited to choose a password and use the portal. */
  email?: string | null | undefined;
  /** A landline (01 to 05, 09) or any number a call reaches: alerts by voice call. */
  landline?: string | null | undefined;
  locale?: Locale | null | undefined;
  /** A mobile (06, 07, or E.164): alerts by SMS. At least this or the landline. */
  mobile?: string | null | undefined;
  proofKind: CounterProofKind;
};

export type DeliveryStatus =
  /** A voice call whose listener pressed 1: heard and confirmed (final). */
  | 'acknowledged'
  | 'bounced'
  | 'delivered'
  | 'failed'
  | 'held'
  | 'pending'
  | 'sending'
  | 'sent'
  | 'skipped'
  | 'undelivered';

/** Discussion topics. Security has no category: suspicious facts go through an alert. */
export type DiscussionCategory = 'loans' | 'lost_animals' | 'mutual_aid' | 'neighbourhood_life' | 'other';

/** The languages of the portal and of the messages an account receives. */
export type Locale = 'en' | 'fr';

export type MembershipStatus =
  /** Excluded by a referent (an appeal to the mairie is possible). */
  | 'excluded'
  /** Member of the community of their verified address. */
  | 'member'
  | 'none'
  /** A membership request awaits a referent's decision. */
  | 'pending';

export type ModeratedContent = 'comment' | 'event' | 'message' | 'thread';

export type NeighbourAlertInput = {
  /** Required for an urgent alert: the author has called, or will call, 17. */
  called17?: boolean | null | undefined;
  /** Slug of a category (neighbourAlertForm.categories). */
  category: string;
  location?: AlertLocationInput | null | undefined;
  /** From POST /alerts/photos (the form's photo rules): the caller's own upload, not used by another alert. */
  photoKey?: string | null | undefined;
  /** Where (150 characters at most). */
  place: string;
  /** For the police only: neighbours never receive it. */
  plate?: string | null | undefined;
  /** When it was seen (ISO 8601); now when omitted. */
  seenAt?: string | null | undefined;
  /** Defaults to the category's severity. */
  severity?: AlertSeverity | null | undefined;
  /** Type, colour, make, direction (150 characters at most). */
  vehicle?: string | null | undefined;
  /** What was seen: a behaviour, an action (500 characters at most). */
  what: string;
};

export type NeighbourAlertLocale = 'en' | 'fr';

export type NeighbourReactionKind =
  /** « Je peux aider » */
  | 'can_help'
  /** « J'ai vu aussi » */
  | 'seen_too';

export type NotificationChannel =
  | 'email'
  | 'in_app'
  /** Web push, to every device the resident allowed notifications on. */
  | 'push'
  | 'sms'
  /** A text-to-speech call, to a landline or a mobile (the preferences' voicePhone); key 1 confirms it was heard. */
  | 'voice';

export type NotificationPreferencesInput = {
  digestInfo: boolean;
  important: Array<NotificationChannel>;
  info: Array<NotificationChannel>;
  quietHoursEnd: string;
  quietHoursStart: string;
  timezone: string;
  urgent: Array<NotificationChannel>;
  /** A French landline (01–05, 09), a mobile, or E.164; required when voice is chosen; empty or null: none. Absent: kept as it is. */
  voicePhone?: string | null | undefined;
};

export type PushKeysInput = {
  /** The 16-byte auth secret, base64url (getKey('auth')). */
  auth: string;
  /** The browser's P-256 public key, base64url (getKey('p256dh')). */
  p256dh: string;
};

export type PushSubscriptionInput = {
  endpoint: string;
  keys: PushKeysInput;
  /** What the resident calls this device. */
  label?: string | null | undefined;
};

export type RaiseAlertInput = {
  /** Slug of a category (alertCategories). */
  category: string;
  /** Staff alerting down: only these channels (the in-app inbox always). Default: each recipient's own choice. */
  channels?: Array<NotificationChannel> | null | undefined;
  location?: AlertLocationInput | null | undefined;
  /** From POST /alerts/photos (JPEG or PNG, 10 MB at most), by the same author, not used by another alert yet. */
  photoKey?: string | null | undefined;
  /** Defaults to the category's severity. */
  severity?: AlertSeverity | null | undefined;
  /** Defaults to the author's own community. */
  target?: AlertTargetInput | null | undefined;
  text: string;
};

export type RegisterInput = {
  displayName: string;
  email: string;
  locale?: string | null | undefined;
  password: string;
  phone?: string | null | undefined;
};

export type ReportInput = {
  contentId: string;
  contentType: ModeratedContent;
  details?: string | null | undefined;
  reason: ReportReason;
};

export type ReportReason =
  'accusation' | 'discrimination' | 'harassment' | 'off_topic' | 'other' | 'personal_data' | 'spam';

export type RsvpAnswer = 'maybe' | 'no' | 'yes';

export type SolConsentBy = 'agent' | 'relative' | 'self';

export type SolContactMethod =
  /** Un appel sur une ligne fixe */
  | 'landline'
  /** Un appel ou un SMS sur un mobile */
  | 'mobile'
  /** La visite d'un voisin */
  | 'visit';

export type SolContactStatus = 'answered' | 'not_answered' | 'pending' | 'visited';

export type SolEscalation =
  | 'ccas'
  | 'none'
  /** The person was asked (an SMS to answer OUI) */
  | 'person'
  | 'police'
  | 'volunteer';

export type SolOutcome = 'answered' | 'not_answered' | 'visited';

export type SolPersonInput = {
  /** A BAN address of the commune (not needed for oneself: the verified residence is used). */
  addressId?: string | null | undefined;
  /** Must be true: the person's explicit consent. */
  consent: boolean;
  consentBy: SolConsentBy;
  /** Who gave the consent, when it is not the person themselves speaking (a relative's name). */
  consentName?: string | null | undefined;
  contactMethod: SolContactMethod;
  escalatePolice: boolean;
  firstName: string;
  healthNotes?: string | null | undefined;
  /** Every 1 to 15 days. */
  intervalDays: number;
  lastName: string;
  /** The language of the automatic calls and texts when the person has no account (French by default). */
  locale?: Locale | null | undefined;
  phone?: string | null | undefined;
  visibility: SolVisibility;
};

export type SolPersonUpdate = {
  clearHealthNotes?: boolean | null | undefined;
  escalatePolice?: boolean | null | undefined;
  healthNotes?: string | null | undefined;
  intervalDays?: number | null | undefined;
  locale?: Locale | null | undefined;
  visibility?: SolVisibility | null | undefined;
};

export type SolPlanKind = 'canicule' | 'grand_froid';

export type SolVisibility =
  /** Le CCAS seul */
  | 'ccas'
  /** Le CCAS et les bénévoles associés (prénom et moyen de contact) */
  | 'ccas_and_volunteers';

export type ThreadInput = {
  body: string;
  category: DiscussionCategory;
  title: string;
};

export type TvAbsenceInput = {
  /** A BAN address of the commune (secondary home), or the resident's own to check it. */
  addressId?: string | null | undefined;
  alarm?: boolean | null | undefined;
  alarmCompany?: string | null | undefined;
  awayAddress?: string | null | undefined;
  awayPhone?: string | null | undefined;
  businessActivity?: string | null | undefined;
  businessName?: string | null | undefined;
  businessPhone?: string | null | undefined;
  /** The language the person to contact is called in, when an anomaly is found (French by default). */
  contactLocale?: Locale | null | undefined;
  contactName?: string | null | undefined;
  contactPhone?: string | null | undefined;
  /** ISO 8601 date and time, e.g. 2026-07-14T08:00:00+02:00 */
  departsAt: string;
  doorCode?: string | null | undefined;
  dwelling?: TvDwelling | null | undefined;
  floor?: string | null | undefined;
  keyHolders?: string | null | undefined;
  kind: TvKind;
  notes?: string | null | undefined;
  noticeChannels?: Array<TvNoticeChannel> | null | undefined;
  pets?: string | null | undefined;
  presenceSimulation?: boolean | null | undefined;
  residence: TvResidence;
  returnsAt: string;
  vehicles?: string | null | undefined;
};

export type TvContactCall =
  | 'busy'
  | 'calling'
  /** Pressed 1 after the message */
  | 'confirmed'
  | 'failed'
  /** Answered without pressing a key */
  | 'heard'
  /** The number in the declaration cannot be called */
  | 'invalid_number'
  | 'no_answer'
  | 'other_key'
  /** Not placed (do-not-call list, no caller number) */
  | 'refused';

export type TvDwelling = 'flat' | 'house';

export type TvKind = 'home' | 'shop';

export type TvNoticeChannel = 'email' | 'in_app' | 'push' | 'sms';

export type TvResidence = 'main' | 'secondary';

export type TvStatus = 'cancelled' | 'pending' | 'refused' | 'validated';

export type TvVisitOutcome =
  | 'forced_entry'
  | 'letterbox'
  | 'open_window'
  | 'other'
  /** Rien à signaler */
  | 'ras';

export type VerificationDecision = 'APPROVE' | 'REJECT';

export type DevOutboxQueryVariables = Exact<{
  recipient?: string | null | undefined;
}>;

export type DevOutboxQuery = {
  devOutbox: Array<{
    id: string;
    channel: string;
    recipient: string;
    subject: string | null;
    body: string;
    createdAt: string;
  }>;
};

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;

export type LoginMutation = {
  login: {
    csrfToken: string;
    secondFactorRequired: boolean;
    me: { secondFactor: string; roles: Array<{ role: string }> };
  };
};

export type VerifyTotpMutationVariables = Exact<{
  code: string;
}>;

export type VerifyTotpMutation = { verifyTotp: boolean };

export type ExportMyDataMutationVariables = Exact<{ [key: string]: never }>;

export type ExportMyDataMutation = { exportMyData: { json: string; html: string } };

export type DeleteMyAccountMutationVariables = Exact<{
  password: string;
}>;

export type DeleteMyAccountMutation = { deleteMyAccount: boolean };

export type MyNotificationsQueryVariables = Exact<{ [key: string]: never }>;

export type MyNotificationsQuery = {
  myUnreadNotificationCount: number;
  myNotifications: Array<{
    id: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    createdAt: string;
    readAt: string | null;
  }>;
};

export type MarkNotificationsReadMutationVariables = Exact<{
  ids?: Array<string> | string | null | undefined;
}>;

export type MarkNotificationsReadMutation = { markNotificationsRead: number };

export type LiveNotificationSubscriptionVariables = Exact<{ [key: string]: never }>;

export type LiveNotificationSubscription = { inAppNotification: { id: string; title: string } };

export type MyPreferencesQueryVariables = Exact<{ [key: string]: never }>;

export type MyPreferencesQuery = {
  myNotificationPreferences: {
    urgent: Array<NotificationChannel>;
    important: Array<NotificationChannel>;
    info: Array<NotificationChannel>;
    quietHoursStart: string;
    quietHoursEnd: string;
    digestInfo: boolean;
    timezone: string;
    voicePhone: string | null;
  };
};

export type UpdatePreferencesMutationVariables = Exact<{
  input: NotificationPreferencesInput;
}>;

export type UpdatePreferencesMutation = {
  updateNotificationPreferences: {
    urgent: Array<NotificationChannel>;
    important: Array<NotificationChannel>;
    info: Array<NotificationChannel>;
    quietHoursStart: string;
    quietHoursEnd: string;
    digestInfo: boolean;
    timezone: string;
    voicePhone: string | null;
  };
};

export type PushSetupQueryVariables = Exact<{ [key: string]: never }>;

export type PushSetupQuery = {
  vapidPublicKey: string | null;
  myPushSubscriptions: Array<{ id: string; endpoint: string; label: string | null; createdAt: string }>;
};

export type SubscribePushMutationVariables = Exact<{
  input: PushSubscriptionInput;
}>;

export type SubscribePushMutation = { subscribePush: { id: string } };

export type UnsubscribePushMutationVariables = Exact<{
  endpoint: string;
}>;

export type UnsubscribePushMutation = { unsubscribePush: boolean };

export type RegisterMutationVariables = Exact<{
  input: RegisterInput;
}>;

export type RegisterMutation = { register: { csrfToken: string } };

export type MyResidenceQueryVariables = Exact<{ [key: string]: never }>;

export type MyResidenceQuery = {
  myResidence: {
    id: string;
    status: string;
    addressLabel: string | null;
    sectorName: string | null;
    submittedAt: string | null;
    decidedAt: string | null;
    decisionReasonLabel: string | null;
    decisionComment: string | null;
    escalated: boolean;
  } | null;
  myReferentCandidacy: { wanted: boolean; status: string; community: { id: string; name: string } | null };
};

export type SearchAddressesQueryVariables = Exact<{
  query: string;
}>;

export type SearchAddressesQuery = {
  searchAddresses: Array<{ id: string; label: string; postcode: string; city: string }>;
};

export type WithdrawVerificationMutationVariables = Exact<{ [key: string]: never }>;

export type WithdrawVerificationMutation = { withdrawVerification: { id: string; status: string } };

export type SetReferentCandidacyMutationVariables = Exact<{
  wanted: boolean;
}>;

export type SetReferentCandidacyMutation = { setReferentCandidacy: { wanted: boolean; status: string } };

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  password: string;
}>;

export type ResetPasswordMutation = { resetPassword: boolean };

export type SetupTotpMutationVariables = Exact<{ [key: string]: never }>;

export type SetupTotpMutation = { setupTotp: { secret: string; otpauthUri: string } };

export type EnableTotpMutationVariables = Exact<{
  code: string;
}>;

export type EnableTotpMutation = { enableTotp: boolean };

export type IssueTotpRecoveryCodesMutationVariables = Exact<{ [key: string]: never }>;

export type IssueTotpRecoveryCodesMutation = { issueTotpRecoveryCodes: Array<string> };

export type SendPhoneCodeMutationVariables = Exact<{ [key: string]: never }>;

export type SendPhoneCodeMutation = { sendPhoneCode: boolean };

export type VerifyPhoneMutationVariables = Exact<{
  code: string;
}>;

export type VerifyPhoneMutation = { verifyPhone: boolean };

export type ResendEmailVerificationMutationVariables = Exact<{ [key: string]: never }>;

export type ResendEmailVerificationMutation = { resendEmailVerification: boolean };

export type VerifyEmailMutationVariables = Exact<{
  token: string;
}>;

export type VerifyEmailMutation = { verifyEmail: boolean };

export type ShellSearchAddressesQueryVariables = Exact<{
  query: string;
}>;

export type ShellSearchAddressesQuery = { searchAddresses: Array<{ id: string; label: string }> };

export type SetMyLocaleMutationVariables = Exact<{
  locale: Locale;
}>;

export type SetMyLocaleMutation = { setMyLocale: { id: string; locale: string } };

export type UnreadQueryVariables = Exact<{ [key: string]: never }>;

export type UnreadQuery = { myUnreadNotificationCount: number };

export type NotificationArrivedSubscriptionVariables = Exact<{ [key: string]: never }>;

export type NotificationArrivedSubscription = { inAppNotification: { id: string } };

export type SessionQueryVariables = Exact<{ [key: string]: never }>;

export type SessionQuery = {
  tenant: {
    slug: string;
    name: string;
    status: string;
    enabledPlugins: Array<string>;
    basemap: string;
    branding: {
      displayName: string | null;
      primaryColor: string | null;
      secondaryColor: string | null;
      logoUrl: string | null;
    };
  } | null;
  me: {
    id: string;
    displayName: string;
    email: string;
    emailVerified: boolean;
    phone: string | null;
    phoneVerified: boolean;
    locale: string;
    permissionsAnyScope: Array<string>;
    csrfToken: string;
    secondFactor: string;
    roles: Array<{ role: string; scopeId: string | null }>;
  } | null;
};

export type LogoutMutationVariables = Exact<{ [key: string]: never }>;

export type LogoutMutation = { logout: boolean };

export type ConsoleAlertDetailQueryVariables = Exact<{
  id: string;
}>;

export type ConsoleAlertDetailQuery = {
  alert: {
    id: string;
    ref: string;
    text: string;
    status: AlertStatus;
    closure: AlertClosure | null;
    severity: AlertSeverity;
    createdAt: string;
    acknowledgedAt: string | null;
    closedAt: string | null;
    authorName: string | null;
    authorKind: AlertAuthorKind;
    photoUrl: string | null;
    targetKind: AlertTargetKind;
    targetSectorIds: Array<string>;
    canFollowUp: boolean;
    category: { label: string };
    history: Array<{ status: AlertStatus; at: string; note: string | null; closure: AlertClosure | null }>;
    assignee: { id: string; displayName: string } | null;
    consoleNotes: Array<{ id: string; text: string; authorName: string; at: string }>;
    deliverySummary: {
      recipients: number;
      total: number;
      byChannel: Array<{ channel: NotificationChannel; status: DeliveryStatus; count: number }>;
    } | null;
    followUps: Array<{ id: string; kind: AlertFollowUpKind; text: string; createdAt: string }>;
  } | null;
};

export type ConsoleAlertNeighboursQueryVariables = Exact<{
  id: string;
}>;

export type ConsoleAlertNeighboursQuery = {
  alert: {
    id: string;
    reactions: { seenToo: number; canHelp: number };
    neighbourReport: {
      what: string;
      place: string;
      seenAt: string;
      vehicle: string | null;
      plate: string | null;
      called17: boolean;
      mergedReports: number;
    } | null;
  } | null;
};

export type ConsoleAgentsQueryVariables = Exact<{ [key: string]: never }>;

export type ConsoleAgentsQuery = { consoleAgents: Array<{ id: string; displayName: string }> };

export type ConsoleAcknowledgeMutationVariables = Exact<{
  id: string;
}>;

export type ConsoleAcknowledgeMutation = {
  acknowledgeAlert: { id: string; status: AlertStatus; acknowledgedAt: string | null };
};

export type ConsoleSetStatusMutationVariables = Exact<{
  id: string;
  status: AlertStatus;
  closure?: AlertClosure | null | undefined;
  note?: string | null | undefined;
}>;

export type ConsoleSetStatusMutation = {
  setAlertStatus: { id: string; status: AlertStatus; closure: AlertClosure | null; closedAt: string | null };
};

export type ConsoleFollowUpMutationVariables = Exact<{
  alertId: string;
  text: string;
}>;

export type ConsoleFollowUpMutation = {
  addAlertFollowUp: {
    id: string;
    followUps: Array<{ id: string; kind: AlertFollowUpKind; text: string; createdAt: string }>;
  };
};

export type ConsoleEndAlertMutationVariables = Exact<{
  alertId: string;
  text: string;
  closure?: AlertClosure | null | undefined;
}>;

export type ConsoleEndAlertMutation = {
  endAlert: {
    id: string;
    status: AlertStatus;
    closure: AlertClosure | null;
    closedAt: string | null;
    followUps: Array<{ id: string; kind: AlertFollowUpKind; text: string; createdAt: string }>;
  };
};

export type ConsoleAssignMutationVariables = Exact<{
  alertId: string;
  agentId: string;
}>;

export type ConsoleAssignMutation = {
  assignAlert: { id: string; assignee: { id: string; displayName: string } | null };
};

export type ConsoleNoteMutationVariables = Exact<{
  alertId: string;
  text: string;
}>;

export type ConsoleNoteMutation = {
  addAlertNote: {
    id: string;
    consoleNotes: Array<{ id: string; text: string; authorName: string; at: string }>;
  };
};

export type ComposeContextQueryVariables = Exact<{ [key: string]: never }>;

export type ComposeContextQuery = {
  alertCategories: Array<{ id: string; slug: string; label: string; defaultSeverity: AlertSeverity }>;
  sectors: Array<{ id: string; name: string; geometry: string; bbox: Array<number> }>;
  alertTemplates: Array<{ category: string; text: string }>;
};

export type SaveAlertTemplateMutationVariables = Exact<{
  category: string;
  text: string;
}>;

export type SaveAlertTemplateMutation = { saveAlertTemplate: Array<{ category: string; text: string }> };

export type AlertPreviewQueryVariables = Exact<{
  input: RaiseAlertInput;
}>;

export type AlertPreviewQuery = {
  alertPreview: {
    recipients: number;
    households: number;
    byChannel: Array<{ channel: NotificationChannel; now: number; held: number; skipped: number }>;
    sms: {
      typedEncoding: string;
      ucs2Characters: Array<string>;
      suggestion: string | null;
      encoding: string;
      segmentsPerMessage: number;
      messages: number;
      segments: number;
      budget: number | null;
      segmentsUsedThisMonth: number;
      segmentsLeft: number | null;
      text: string;
    };
    cost: { pricePerSegment: number; total: number; budgetLeft: number | null };
  };
};

export type ConsoleRaiseAlertMutationVariables = Exact<{
  input: RaiseAlertInput;
}>;

export type ConsoleRaiseAlertMutation = { raiseAlert: { id: string; ref: string } };

export type ConsoleAlertsQueryVariables = Exact<{
  filter?: AlertFilter | null | undefined;
}>;

export type ConsoleAlertsQuery = {
  alerts: {
    items: Array<{
      id: string;
      ref: string;
      text: string;
      status: AlertStatus;
      closure: AlertClosure | null;
      severity: AlertSeverity;
      createdAt: string;
      acknowledgedAt: string | null;
      targetKind: AlertTargetKind;
      targetSectorIds: Array<string>;
      authorKind: AlertAuthorKind;
      location: { lon: number; lat: number } | null;
      category: { id: string; slug: string; label: string };
      assignee: { id: string; displayName: string } | null;
    }>;
  };
};

export type ConsoleContextQueryVariables = Exact<{ [key: string]: never }>;

export type ConsoleContextQuery = {
  alertCategories: Array<{ id: string; slug: string; label: string }>;
  sectors: Array<{ id: string; name: string; geometry: string; bbox: Array<number> }>;
};

export type ConsoleAlertRaisedSubscriptionVariables = Exact<{ [key: string]: never }>;

export type ConsoleAlertRaisedSubscription = {
  alertRaised: {
    id: string;
    ref: string;
    text: string;
    status: AlertStatus;
    closure: AlertClosure | null;
    severity: AlertSeverity;
    createdAt: string;
    acknowledgedAt: string | null;
    targetKind: AlertTargetKind;
    targetSectorIds: Array<string>;
    authorKind: AlertAuthorKind;
    location: { lon: number; lat: number } | null;
    category: { id: string; slug: string; label: string };
  };
};

export type ConsoleAlertStatusSubscriptionVariables = Exact<{ [key: string]: never }>;

export type ConsoleAlertStatusSubscription = {
  alertStatusChanged: {
    id: string;
    status: AlertStatus;
    closure: AlertClosure | null;
    acknowledgedAt: string | null;
  };
};

export type ConsoleRegisterAtCounterMutationVariables = Exact<{
  input: CounterRegistrationInput;
}>;

export type ConsoleRegisterAtCounterMutation = {
  registerResidentAtCounter: {
    accountId: string;
    displayName: string;
    addressLabel: string;
    sectorName: string;
    smsTo: string | null;
    voiceTo: string | null;
    urgentChannels: Array<string>;
    invitationSent: boolean;
  };
};

export type DeliveryReportSummaryQueryVariables = Exact<{
  id: string;
}>;

export type DeliveryReportSummaryQuery = {
  alert: { id: string; ref: string; text: string; createdAt: string; category: { label: string } } | null;
  alertDeliveryReport: {
    summary: {
      recipients: number;
      total: number;
      byStatus: Array<{ status: DeliveryStatus; count: number }>;
      byChannel: Array<{ channel: NotificationChannel; status: DeliveryStatus; count: number }>;
    };
  };
};

export type DeliveryReportRowsQueryVariables = Exact<{
  id: string;
  status?: DeliveryStatus | null | undefined;
  channel?: NotificationChannel | null | undefined;
  after?: string | null | undefined;
  limit: number;
}>;

export type DeliveryReportRowsQuery = {
  alertDeliveryReport: {
    nextCursor: string | null;
    items: Array<{
      id: string;
      recipientName: string | null;
      accountId: string | null;
      purpose: string;
      channel: NotificationChannel;
      status: DeliveryStatus;
      reason: string | null;
      attempts: number;
      device: string | null;
      queuedAt: string;
      sentAt: string | null;
      deliveredAt: string | null;
      failedAt: string | null;
      notBefore: string | null;
    }>;
  };
};

export type ConsoleOnDutyQueryVariables = Exact<{ [key: string]: never }>;

export type ConsoleOnDutyQuery = {
  policeOnDuty: { accountId: string; displayName: string; since: string } | null;
};

export type ConsoleOnDutyAgentsQueryVariables = Exact<{ [key: string]: never }>;

export type ConsoleOnDutyAgentsQuery = { consoleAgents: Array<{ id: string; displayName: string }> };

export type ConsoleSetOnDutyMutationVariables = Exact<{
  accountId?: string | null | undefined;
}>;

export type ConsoleSetOnDutyMutation = {
  setPoliceOnDuty: { accountId: string; displayName: string; since: string } | null;
};

export type ConsoleStatisticsQueryVariables = Exact<{
  year: number;
}>;

export type ConsoleStatisticsQuery = {
  consoleStatistics: {
    year: number;
    htmlUrl: string;
    csvUrl: string;
    pdfUrl: string;
    sections: Array<{
      id: string;
      label: string;
      labelEn: string;
      figures: Array<{
        key: string;
        label: string;
        labelEn: string;
        value: number | null;
        display: string;
        measure: boolean;
        monthly: Array<{ value: number | null; display: string }>;
      }>;
    }>;
  };
};

export type SolCcasPlanQueryVariables = Exact<{ [key: string]: never }>;

export type SolCcasPlanQuery = {
  solPlan: {
    id: string;
    kind: SolPlanKind;
    prefectureLevel: string | null;
    startedAt: string;
    day: number;
    counts: { pending: number; answered: number; notAnswered: number; visited: number };
    contacts: Array<{
      id: string;
      personId: string;
      firstName: string;
      lastName: string;
      channel: SolContactMethod;
      phone: string | null;
      addressLabel: string;
      status: SolContactStatus;
    }>;
  } | null;
  solActivations: Array<{
    id: string;
    kind: SolPlanKind;
    startedAt: string;
    endedAt: string | null;
    closed: boolean;
    summary: { answered: number; notAnswered: number; visited: number };
  }>;
};

export type SolCcasRegisterQueryVariables = Exact<{ [key: string]: never }>;

export type SolCcasRegisterQuery = {
  solRegister: Array<{
    id: string;
    firstName: string;
    lastName: string;
    addressLabel: string;
    contactMethod: SolContactMethod;
    phone: string | null;
    intervalDays: number;
    lastSignAt: string;
    escalation: SolEscalation;
    volunteers: Array<{ id: string; displayName: string }>;
  }>;
};

export type SolActivateMutationVariables = Exact<{
  kind: SolPlanKind;
  level?: string | null | undefined;
}>;

export type SolActivateMutation = { solActivatePlan: { id: string } };

export type SolDeactivateMutationVariables = Exact<{ [key: string]: never }>;

export type SolDeactivateMutation = { solDeactivatePlan: { id: string } };

export type SolCcasNewsMutationVariables = Exact<{
  personId: string;
}>;

export type SolCcasNewsMutation = { solNewsReceived: { lastSignAt: string } };

export type SolCcasPersonQueryVariables = Exact<{
  id: string;
}>;

export type SolCcasPersonQuery = {
  solPerson: {
    id: string;
    firstName: string;
    lastName: string;
    addressLabel: string;
    communityId: string | null;
    contactMethod: SolContactMethod;
    phone: string | null;
    intervalDays: number;
    escalatePolice: boolean;
    visibility: SolVisibility;
    consentBy: SolConsentBy;
    consentName: string | null;
    consentAt: string;
    lastSignAt: string;
    nextSignDueAt: string;
    escalation: SolEscalation;
    healthNotes: string | null;
    hasHealthNotes: boolean;
    volunteers: Array<{ id: string; displayName: string }>;
  } | null;
};

export type SolCcasVolunteersQueryVariables = Exact<{ [key: string]: never }>;

export type SolCcasVolunteersQuery = {
  solVolunteers: Array<{
    id: string;
    displayName: string;
    availability: string;
    communityId: string;
    communityName: string;
    pairedCount: number;
  }>;
};

export type SolPairMutationVariables = Exact<{
  personId: string;
  volunteerId: string;
}>;

export type SolPairMutation = { solPair: { id: string } };

export type SolUnpairMutationVariables = Exact<{
  personId: string;
  volunteerId: string;
}>;

export type SolUnpairMutation = { solUnpair: { id: string } };

export type SolUpdateMutationVariables = Exact<{
  id: string;
  input: SolPersonUpdate;
}>;

export type SolUpdateMutation = { solUpdatePerson: { id: string } };

export type SolCcasWithdrawMutationVariables = Exact<{
  id: string;
}>;

export type SolCcasWithdrawMutation = { solWithdrawConsent: string };

export type SolRegisterMutationVariables = Exact<{
  input: SolPersonInput;
}>;

export type SolRegisterMutation = { solRegisterPerson: { id: string } };

export type SolHomeSummaryQueryVariables = Exact<{ [key: string]: never }>;

export type SolHomeSummaryQuery = {
  solRegister: Array<{ id: string; escalation: SolEscalation }>;
  solPlan: { id: string; kind: SolPlanKind } | null;
};

export type SolMineQueryVariables = Exact<{ [key: string]: never }>;

export type SolMineQuery = {
  solMyEntries: Array<{
    id: string;
    firstName: string;
    lastName: string;
    forSelf: boolean;
    intervalDays: number;
    lastSignAt: string;
    roundContactId: string | null;
  }>;
  solMyVolunteering: {
    volunteer: boolean;
    availability: string | null;
    people: Array<{
      id: string;
      firstName: string;
      contactMethod: SolContactMethod;
      contact: string;
      lastSignAt: string;
      nextSignDueAt: string;
      escalation: SolEscalation;
      roundContactId: string | null;
    }>;
  };
};

export type SolImFineMutationVariables = Exact<{ [key: string]: never }>;

export type SolImFineMutation = { solImFine: { lastSignAt: string } };

export type SolWithdrawMutationVariables = Exact<{
  id: string;
}>;

export type SolWithdrawMutation = { solWithdrawConsent: string };

export type SolOfferMutationVariables = Exact<{
  availability?: string | null | undefined;
}>;

export type SolOfferMutation = { solOfferToVolunteer: { volunteer: boolean } };

export type SolStepBackMutationVariables = Exact<{ [key: string]: never }>;

export type SolStepBackMutation = { solStepBack: boolean };

export type SolNewsMutationVariables = Exact<{
  personId: string;
}>;

export type SolNewsMutation = { solNewsReceived: { lastSignAt: string } };

export type SolRecordContactMutationVariables = Exact<{
  contactId: string;
  outcome: SolOutcome;
}>;

export type SolRecordContactMutation = { solRecordContact: { id: string; status: SolContactStatus } };

export type TvPatrolQueryVariables = Exact<{
  date?: string | null | undefined;
}>;

export type TvPatrolQuery = {
  tvPatrol: {
    date: string;
    stops: Array<{
      order: number;
      suggestedTime: string;
      visitedToday: boolean;
      absence: {
        id: string;
        addressLabel: string;
        doorCode: string | null;
        details: {
          dwelling: TvDwelling | null;
          floor: string | null;
          contactName: string | null;
          contactPhone: string | null;
          alarmCompany: string | null;
        };
      };
    }>;
  };
};

export type TvLogVisitMutationVariables = Exact<{
  absenceId: string;
  outcome: TvVisitOutcome;
  note?: string | null | undefined;
}>;

export type TvLogVisitMutation = { logVisit: { id: string; visitedAt: string; outcome: TvVisitOutcome } };

export type TvConsoleQueryVariables = Exact<{ [key: string]: never }>;

export type TvConsoleQuery = {
  tvAnomalies: Array<{
    visit: {
      id: string;
      visitedAt: string;
      outcome: TvVisitOutcome;
      note: string | null;
      contactCall: TvContactCall | null;
    };
    absence: { id: string; addressLabel: string };
  }>;
  tvAbsences: Array<{
    id: string;
    status: TvStatus;
    addressLabel: string;
    departsAt: string;
    returnsAt: string;
    lastVisitAt: string | null;
    residentName: string | null;
    declaredAtCounter: boolean;
  }>;
};

export type TvValidateMutationVariables = Exact<{
  id: string;
}>;

export type TvValidateMutation = { validateAbsence: { id: string; status: TvStatus } };

export type TvRefuseMutationVariables = Exact<{
  id: string;
  reason: string;
}>;

export type TvRefuseMutation = { refuseAbsence: { id: string; status: TvStatus } };

export type TvAbsenceQueryVariables = Exact<{
  id: string;
}>;

export type TvAbsenceQuery = {
  tvAbsence: {
    id: string;
    status: TvStatus;
    kind: TvKind;
    addressLabel: string;
    departsAt: string;
    returnsAt: string;
    residentName: string | null;
    doorCode: string | null;
    keyHolders: string | null;
    details: {
      awayPhone: string | null;
      awayAddress: string | null;
      contactName: string | null;
      contactPhone: string | null;
      alarm: boolean | null;
      alarmCompany: string | null;
      presenceSimulation: boolean | null;
      dwelling: TvDwelling | null;
      floor: string | null;
      vehicles: string | null;
      pets: string | null;
      notes: string | null;
      businessName: string | null;
      businessActivity: string | null;
      businessPhone: string | null;
    };
    visits: Array<{ id: string; visitedAt: string; outcome: TvVisitOutcome; note: string | null }>;
  } | null;
};

export type TvMyAbsencesQueryVariables = Exact<{ [key: string]: never }>;

export type TvMyAbsencesQuery = {
  myAbsences: Array<{
    id: string;
    status: TvStatus;
    kind: TvKind;
    addressLabel: string;
    departsAt: string;
    returnsAt: string;
    refusalReason: string | null;
    earlyReturn: boolean;
    visits: Array<{ id: string; visitedAt: string; outcome: TvVisitOutcome }>;
  }>;
};

export type TvChangeReturnMutationVariables = Exact<{
  id: string;
  returnsAt: string;
}>;

export type TvChangeReturnMutation = { changeAbsenceDates: { id: string; returnsAt: string } };

export type TvEarlyReturnMutationVariables = Exact<{
  id: string;
}>;

export type TvEarlyReturnMutation = {
  declareEarlyReturn: { id: string; status: TvStatus; returnsAt: string; earlyReturn: boolean };
};

export type TvCancelMutationVariables = Exact<{
  id: string;
}>;

export type TvCancelMutation = { cancelAbsence: { id: string; status: TvStatus } };

export type TvRulesQueryVariables = Exact<{ [key: string]: never }>;

export type TvRulesQuery = {
  tvRules: { minNoticeDays: number; earliestDays: number; maxAbsenceDays: number; secondaryHomes: boolean };
};

export type TvFindResidentQueryVariables = Exact<{
  email: string;
}>;

export type TvFindResidentQuery = {
  tvResident: { accountId: string; displayName: string; addressLabel: string | null } | null;
};

export type TvDeclareMutationVariables = Exact<{
  input: TvAbsenceInput;
  for?: string | null | undefined;
}>;

export type TvDeclareMutation = { declareAbsence: { id: string; status: TvStatus } };

export type NeighbourAlertFormQueryVariables = Exact<{
  locale?: NeighbourAlertLocale | null | undefined;
}>;

export type NeighbourAlertFormQuery = {
  neighbourAlertForm: {
    title: string;
    warning: string;
    alertsPerHour: number;
    alertsLeftThisHour: number;
    mergeWindowMinutes: number;
    policeEmergencyNumber: string;
    europeanEmergencyNumber: string;
    policeMunicipale: { label: string; phone: string | null; hours: string | null };
    categories: Array<{ id: string; slug: string; label: string; defaultSeverity: AlertSeverity }>;
    photo: { maxBytes: number; acceptedTypes: Array<string>; uploadUrl: string; help: string };
  };
};

export type RaiseNeighbourAlertMutationVariables = Exact<{
  input: NeighbourAlertInput;
}>;

export type RaiseNeighbourAlertMutation = {
  raiseNeighbourAlert: {
    merged: boolean;
    alert: { id: string; ref: string; status: AlertStatus; severity: AlertSeverity };
  };
};

export type MyAlertsQueryVariables = Exact<{ [key: string]: never }>;

export type MyAlertsQuery = {
  myAlerts: {
    items: Array<{
      id: string;
      ref: string;
      text: string;
      status: AlertStatus;
      severity: AlertSeverity;
      createdAt: string;
      category: { label: string };
      history: Array<{ status: AlertStatus; at: string; note: string | null; closure: AlertClosure | null }>;
      reactions: { seenToo: number; canHelp: number };
    }>;
  };
};

export type AlertDetailQueryVariables = Exact<{
  id: string;
}>;

export type AlertDetailQuery = {
  alert: {
    id: string;
    ref: string;
    text: string;
    status: AlertStatus;
    severity: AlertSeverity;
    createdAt: string;
    mine: boolean;
    authorName: string | null;
    photoUrl: string | null;
    followsAlertId: string | null;
    followUps: Array<{ id: string; kind: AlertFollowUpKind; text: string; createdAt: string }>;
    category: { label: string };
    history: Array<{ status: AlertStatus; at: string; note: string | null; closure: AlertClosure | null }>;
    reactions: {
      seenToo: number;
      canHelp: number;
      mine: Array<NeighbourReactionKind>;
      neighbours: Array<{ kind: NeighbourReactionKind; neighbour: { displayName: string } }> | null;
    };
  } | null;
};

export type ReactToNeighbourAlertMutationVariables = Exact<{
  alertId: string;
  kind: NeighbourReactionKind;
}>;

export type ReactToNeighbourAlertMutation = {
  reactToNeighbourAlert: {
    id: string;
    reactions: { seenToo: number; canHelp: number; mine: Array<NeighbourReactionKind> };
  };
};

export type MyAlertStatusChangedSubscriptionVariables = Exact<{ [key: string]: never }>;

export type MyAlertStatusChangedSubscription = { alertStatusChanged: { id: string; status: AlertStatus } };

export type LiveNotificationsSubscriptionVariables = Exact<{ [key: string]: never }>;

export type LiveNotificationsSubscription = {
  inAppNotification: { id: string; kind: string; link: string | null };
};

export type LiveFeedItemQueryVariables = Exact<{
  id: string;
}>;

export type LiveFeedItemQuery = {
  alert: {
    id: string;
    ref: string;
    text: string;
    severity: AlertSeverity;
    status: AlertStatus;
    createdAt: string;
    category: { label: string };
  } | null;
};

export type BoundarySectorQueryVariables = Exact<{
  id: string;
}>;

export type BoundarySectorQuery = {
  sector: {
    id: string;
    name: string;
    geometry: string;
    bbox: Array<number>;
    areaM2: number;
    addressCount: number | null;
  } | null;
};

export type BoundaryNeighboursQueryVariables = Exact<{ [key: string]: never }>;

export type BoundaryNeighboursQuery = { sectors: Array<{ id: string; name: string; geometry: string }> };

export type RedrawBoundaryMutationVariables = Exact<{
  communityId: string;
  geometry: string;
  confirmOverlap?: boolean | null | undefined;
}>;

export type RedrawBoundaryMutation = {
  redrawCommunityBoundary: {
    areaM2: number;
    movedAddresses: number;
    community: { id: string; name: string };
    overlaps: Array<{ id: string; name: string }>;
  };
};

export type MyCommunityPageQueryVariables = Exact<{ [key: string]: never }>;

export type MyCommunityPageQuery = {
  myMembership: {
    status: MembershipStatus;
    request: { id: string; status: string; createdAt: string } | null;
    exclusion: { id: string; reason: string } | null;
  };
  myCommunity: {
    id: string;
    name: string;
    memberCount: number;
    coverage: { addresses: number; households: number; ratio: number | null };
    referents: Array<{ id: string; displayName: string }>;
    latestAlerts: Array<{
      id: string;
      ref: string;
      text: string;
      severity: AlertSeverity;
      status: AlertStatus;
      createdAt: string;
      seenToo: number;
      canHelp: number;
      category: { label: string };
    }>;
    latestThreads: Array<{
      id: string;
      title: string;
      categoryLabel: string;
      commentCount: number;
      lastActivityAt: string;
    }>;
    upcomingEvents: Array<{ id: string; title: string; startsAt: string; place: string }>;
  } | null;
  communityCharter: { version: string; text: string; accepted: boolean; acceptedAt: string | null };
};

export type AcceptCharterMutationVariables = Exact<{
  version: string;
}>;

export type AcceptCharterMutation = { acceptCharter: { accepted: boolean; acceptedAt: string | null } };

export type ConversationsQueryVariables = Exact<{ [key: string]: never }>;

export type ConversationsQuery = {
  conversations: Array<{
    unread: number;
    neighbour: { id: string; displayName: string };
    lastMessage: { body: string; createdAt: string; mine: boolean };
  }>;
  myCommunity: { id: string; members: Array<{ id: string; displayName: string }> } | null;
  me: { id: string } | null;
};

export type MessagesWithQueryVariables = Exact<{
  neighbourId: string;
}>;

export type MessagesWithQuery = {
  messagesWith: Array<{
    id: string;
    body: string;
    createdAt: string;
    mine: boolean;
    author: { displayName: string };
  }>;
  myCommunity: { id: string; members: Array<{ id: string; displayName: string }> } | null;
};

export type SendPrivateMessageMutationVariables = Exact<{
  recipientId: string;
  body: string;
}>;

export type SendPrivateMessageMutation = { sendPrivateMessage: { id: string } };

export type MarkConversationReadMutationVariables = Exact<{
  neighbourId: string;
}>;

export type MarkConversationReadMutation = { markConversationRead: number };

export type ThreadsQueryVariables = Exact<{ [key: string]: never }>;

export type ThreadsQuery = {
  threads: Array<{
    id: string;
    title: string;
    categoryLabel: string;
    commentCount: number;
    lastActivityAt: string;
    author: { displayName: string };
  }>;
  discussionCategories: Array<{ value: DiscussionCategory; label: string }>;
};

export type ThreadQueryVariables = Exact<{
  id: string;
}>;

export type ThreadQuery = {
  thread: {
    id: string;
    title: string;
    body: string;
    categoryLabel: string;
    createdAt: string;
    author: { id: string; displayName: string };
    comments: Array<{
      id: string;
      body: string;
      createdAt: string;
      author: { id: string; displayName: string };
    }>;
  } | null;
  reportReasons: Array<{ value: ReportReason; label: string }>;
};

export type CreateThreadMutationVariables = Exact<{
  input: ThreadInput;
}>;

export type CreateThreadMutation = { createThread: { id: string } };

export type AddCommentMutationVariables = Exact<{
  threadId: string;
  body: string;
}>;

export type AddCommentMutation = { addComment: { id: string } };

export type ReportContentMutationVariables = Exact<{
  input: ReportInput;
}>;

export type ReportContentMutation = { reportContent: { id: string } };

export type CommunityEventsQueryVariables = Exact<{ [key: string]: never }>;

export type CommunityEventsQuery = {
  communityEvents: Array<{
    id: string;
    title: string;
    description: string;
    place: string;
    startsAt: string;
    endsAt: string | null;
    kindLabel: string;
    cancelled: boolean;
    cancelReason: string | null;
    myRsvp: RsvpAnswer | null;
    organiser: { displayName: string };
    rsvpCounts: { yes: number; maybe: number; no: number };
  }>;
};

export type RsvpEventMutationVariables = Exact<{
  eventId: string;
  answer: RsvpAnswer;
}>;

export type RsvpEventMutation = {
  rsvpEvent: {
    id: string;
    myRsvp: RsvpAnswer | null;
    rsvpCounts: { yes: number; maybe: number; no: number };
  };
};

export type GovernanceCommunitiesQueryVariables = Exact<{ [key: string]: never }>;

export type GovernanceCommunitiesQuery = { communities: Array<{ id: string; name: string }> };

export type GovernanceCommunityQueryVariables = Exact<{
  id: string;
}>;

export type GovernanceCommunityQuery = {
  community: {
    id: string;
    memberCount: number;
    coverage: { addresses: number; households: number; ratio: number | null };
  } | null;
  referentRound: { phase: string; seatsLeft: number; referents: Array<{ id: string; displayName: string }> };
};

export type GovernanceRoundQueryVariables = Exact<{
  id: string;
}>;

export type GovernanceRoundQuery = {
  referentRound: {
    roundId: string | null;
    phase: string;
    reason: string | null;
    seatsLeft: number;
    collectUntil: string | null;
    community: { id: string; name: string };
    candidates: Array<{ id: string; displayName: string }>;
    referents: Array<{ id: string; displayName: string }>;
  };
};

export type GovernanceOpenRoundMutationVariables = Exact<{
  id: string;
}>;

export type GovernanceOpenRoundMutation = { openReferentRound: { phase: string } };

export type GovernanceChooseMutationVariables = Exact<{
  id: string;
  accountIds: Array<string> | string;
}>;

export type GovernanceChooseMutation = { chooseReferents: { phase: string } };

export type GovernanceUnassignedQueryVariables = Exact<{ [key: string]: never }>;

export type GovernanceUnassignedQuery = {
  unassignedAddresses: { total: number; addresses: Array<{ id: string; label: string }> };
};

export type GovernanceAppealsQueryVariables = Exact<{ [key: string]: never }>;

export type GovernanceAppealsQuery = {
  exclusionAppeals: Array<{
    id: string;
    statement: string;
    createdAt: string;
    exclusion: { reason: string; community: { name: string }; member: { displayName: string } };
  }>;
};

export type GovernanceDecideMutationVariables = Exact<{
  id: string;
  decision: AppealDecision;
  reason: string;
}>;

export type GovernanceDecideMutation = { decideExclusionAppeal: { id: string; status: string } };

export type GovernanceModerationLogQueryVariables = Exact<{ [key: string]: never }>;

export type GovernanceModerationLogQuery = {
  moderationLog: Array<{
    id: string;
    action: string;
    at: string;
    reason: string;
    contentType: ModeratedContent;
    community: { name: string };
    actor: { displayName: string };
  }>;
};

export type MyReferentCommunitiesQueryVariables = Exact<{ [key: string]: never }>;

export type MyReferentCommunitiesQuery = { myReferentCommunities: Array<{ id: string; name: string }> };

export type ReferentDeskQueryVariables = Exact<{
  communityId: string;
}>;

export type ReferentDeskQuery = {
  membershipRequests: Array<{
    id: string;
    createdAt: string;
    message: string | null;
    addressLabel: string | null;
    status: string;
    requester: { id: string; displayName: string };
  }>;
  verificationQueue: Array<{
    residenceId: string;
    residentDisplayName: string;
    addressLabel: string | null;
    sectorName: string | null;
    submittedAt: string | null;
    isMove: boolean;
    escalated: boolean;
    proof: { mime: string; sizeBytes: number } | null;
  }>;
  rejectionReasons: Array<{ code: string; label: string; labelEn: string }>;
  communitySupportRequests: Array<{
    id: string;
    subject: string;
    status: string;
    createdAt: string;
    author: { displayName: string };
    messages: Array<{ id: string; body: string; createdAt: string; fromReferent: boolean }>;
  }>;
  moderationQueue: Array<{
    contentId: string;
    contentType: ModeratedContent;
    excerpt: string;
    reportCount: number;
    reasons: Array<ReportReason>;
    firstReportedAt: string;
    author: { displayName: string };
  }>;
  reportReasons: Array<{ value: ReportReason; label: string }>;
};

export type ApproveMembershipMutationVariables = Exact<{
  id: string;
}>;

export type ApproveMembershipMutation = { approveMembershipRequest: { id: string; status: string } };

export type RefuseMembershipMutationVariables = Exact<{
  id: string;
  reason: string;
}>;

export type RefuseMembershipMutation = { refuseMembershipRequest: { id: string; status: string } };

export type ProofLinkMutationVariables = Exact<{
  residenceId: string;
}>;

export type ProofLinkMutation = { proofLink: { url: string; expiresAt: string } };

export type DecideVerificationMutationVariables = Exact<{
  residenceId: string;
  decision: VerificationDecision;
  reason?: string | null | undefined;
  comment?: string | null | undefined;
}>;

export type DecideVerificationMutation = { decideVerification: { id: string; status: string } };

export type ReplySupportMutationVariables = Exact<{
  id: string;
  body: string;
}>;

export type ReplySupportMutation = { replyToSupportRequest: { id: string; status: string } };

export type HideContentMutationVariables = Exact<{
  contentId: string;
  contentType: ModeratedContent;
  reason: string;
}>;

export type HideContentMutation = { hideContent: { id: string } };

export type DismissReportsMutationVariables = Exact<{
  contentId: string;
  contentType: ModeratedContent;
  reason: string;
}>;

export type DismissReportsMutation = { dismissReports: { id: string } };

export const DevOutboxDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'DevOutbox' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'recipient' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'devOutbox' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'recipient' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'recipient' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '5' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'channel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'recipient' } },
                { kind: 'Field', name: { kind: 'Name', value: 'subject' } },
                { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DevOutboxQuery, DevOutboxQueryVariables>;
export const LoginDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'Login' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'login' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'email' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'password' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'csrfToken' } },
                { kind: 'Field', name: { kind: 'Name', value: 'secondFactorRequired' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'me' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'secondFactor' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'roles' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [{ kind: 'Field', name: { kind: 'Name', value: 'role' } }],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const VerifyTotpDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'VerifyTotp' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'code' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'verifyTotp' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'code' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'code' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<VerifyTotpMutation, VerifyTotpMutationVariables>;
export const ExportMyDataDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ExportMyData' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'exportMyData' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'json' } },
                { kind: 'Field', name: { kind: 'Name', value: 'html' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ExportMyDataMutation, ExportMyDataMutationVariables>;
export const DeleteMyAccountDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'DeleteMyAccount' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'deleteMyAccount' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'password' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DeleteMyAccountMutation, DeleteMyAccountMutationVariables>;
export const MyNotificationsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MyNotifications' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myNotifications' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '50' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                { kind: 'Field', name: { kind: 'Name', value: 'link' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'readAt' } },
              ],
            },
          },
          { kind: 'Field', name: { kind: 'Name', value: 'myUnreadNotificationCount' } },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyNotificationsQuery, MyNotificationsQueryVariables>;
export const MarkNotificationsReadDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'MarkNotificationsRead' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
          type: {
            kind: 'ListType',
            type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'markNotificationsRead' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'ids' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'ids' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const LiveNotificationDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'LiveNotification' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'inAppNotification' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'title' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<LiveNotificationSubscription, LiveNotificationSubscriptionVariables>;
export const MyPreferencesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MyPreferences' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myNotificationPreferences' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'urgent' } },
                { kind: 'Field', name: { kind: 'Name', value: 'important' } },
                { kind: 'Field', name: { kind: 'Name', value: 'info' } },
                { kind: 'Field', name: { kind: 'Name', value: 'quietHoursStart' } },
                { kind: 'Field', name: { kind: 'Name', value: 'quietHoursEnd' } },
                { kind: 'Field', name: { kind: 'Name', value: 'digestInfo' } },
                { kind: 'Field', name: { kind: 'Name', value: 'timezone' } },
                { kind: 'Field', name: { kind: 'Name', value: 'voicePhone' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyPreferencesQuery, MyPreferencesQueryVariables>;
export const UpdatePreferencesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'UpdatePreferences' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'NotificationPreferencesInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'updateNotificationPreferences' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'urgent' } },
                { kind: 'Field', name: { kind: 'Name', value: 'important' } },
                { kind: 'Field', name: { kind: 'Name', value: 'info' } },
                { kind: 'Field', name: { kind: 'Name', value: 'quietHoursStart' } },
                { kind: 'Field', name: { kind: 'Name', value: 'quietHoursEnd' } },
                { kind: 'Field', name: { kind: 'Name', value: 'digestInfo' } },
                { kind: 'Field', name: { kind: 'Name', value: 'timezone' } },
                { kind: 'Field', name: { kind: 'Name', value: 'voicePhone' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UpdatePreferencesMutation, UpdatePreferencesMutationVariables>;
export const PushSetupDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'PushSetup' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          { kind: 'Field', name: { kind: 'Name', value: 'vapidPublicKey' } },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myPushSubscriptions' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'endpoint' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<PushSetupQuery, PushSetupQueryVariables>;
export const SubscribePushDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SubscribePush' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'PushSubscriptionInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'subscribePush' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SubscribePushMutation, SubscribePushMutationVariables>;
export const UnsubscribePushDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'UnsubscribePush' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'endpoint' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'unsubscribePush' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'endpoint' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'endpoint' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<UnsubscribePushMutation, UnsubscribePushMutationVariables>;
export const RegisterDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'Register' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'RegisterInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'register' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'csrfToken' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RegisterMutation, RegisterMutationVariables>;
export const MyResidenceDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MyResidence' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myResidence' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'sectorName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'submittedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'decidedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'decisionReasonLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'decisionComment' } },
                { kind: 'Field', name: { kind: 'Name', value: 'escalated' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myReferentCandidacy' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'wanted' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'community' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyResidenceQuery, MyResidenceQueryVariables>;
export const SearchAddressesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SearchAddresses' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'query' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'searchAddresses' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'query' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'query' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '8' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                { kind: 'Field', name: { kind: 'Name', value: 'postcode' } },
                { kind: 'Field', name: { kind: 'Name', value: 'city' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SearchAddressesQuery, SearchAddressesQueryVariables>;
export const WithdrawVerificationDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'WithdrawVerification' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'withdrawVerification' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<WithdrawVerificationMutation, WithdrawVerificationMutationVariables>;
export const SetReferentCandidacyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SetReferentCandidacy' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'wanted' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setReferentCandidacy' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'wanted' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'wanted' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'wanted' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SetReferentCandidacyMutation, SetReferentCandidacyMutationVariables>;
export const ResetPasswordDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ResetPassword' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'token' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'resetPassword' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'token' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'token' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'password' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'password' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const SetupTotpDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SetupTotp' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setupTotp' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'secret' } },
                { kind: 'Field', name: { kind: 'Name', value: 'otpauthUri' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SetupTotpMutation, SetupTotpMutationVariables>;
export const EnableTotpDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'EnableTotp' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'code' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'enableTotp' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'code' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'code' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<EnableTotpMutation, EnableTotpMutationVariables>;
export const IssueTotpRecoveryCodesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'IssueTotpRecoveryCodes' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [{ kind: 'Field', name: { kind: 'Name', value: 'issueTotpRecoveryCodes' } }],
      },
    },
  ],
} as unknown as DocumentNode<IssueTotpRecoveryCodesMutation, IssueTotpRecoveryCodesMutationVariables>;
export const SendPhoneCodeDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SendPhoneCode' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [{ kind: 'Field', name: { kind: 'Name', value: 'sendPhoneCode' } }],
      },
    },
  ],
} as unknown as DocumentNode<SendPhoneCodeMutation, SendPhoneCodeMutationVariables>;
export const VerifyPhoneDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'VerifyPhone' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'code' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'verifyPhone' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'code' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'code' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<VerifyPhoneMutation, VerifyPhoneMutationVariables>;
export const ResendEmailVerificationDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ResendEmailVerification' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [{ kind: 'Field', name: { kind: 'Name', value: 'resendEmailVerification' } }],
      },
    },
  ],
} as unknown as DocumentNode<ResendEmailVerificationMutation, ResendEmailVerificationMutationVariables>;
export const VerifyEmailDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'VerifyEmail' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'token' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'verifyEmail' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'token' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'token' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ShellSearchAddressesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ShellSearchAddresses' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'query' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'searchAddresses' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'query' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'query' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '8' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ShellSearchAddressesQuery, ShellSearchAddressesQueryVariables>;
export const SetMyLocaleDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SetMyLocale' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'locale' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Locale' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setMyLocale' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'locale' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'locale' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'locale' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SetMyLocaleMutation, SetMyLocaleMutationVariables>;
export const UnreadDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Unread' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [{ kind: 'Field', name: { kind: 'Name', value: 'myUnreadNotificationCount' } }],
      },
    },
  ],
} as unknown as DocumentNode<UnreadQuery, UnreadQueryVariables>;
export const NotificationArrivedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'NotificationArrived' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'inAppNotification' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<NotificationArrivedSubscription, NotificationArrivedSubscriptionVariables>;
export const SessionDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Session' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tenant' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'slug' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'enabledPlugins' } },
                { kind: 'Field', name: { kind: 'Name', value: 'basemap' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'branding' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'primaryColor' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'secondaryColor' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'logoUrl' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'me' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'email' } },
                { kind: 'Field', name: { kind: 'Name', value: 'emailVerified' } },
                { kind: 'Field', name: { kind: 'Name', value: 'phone' } },
                { kind: 'Field', name: { kind: 'Name', value: 'phoneVerified' } },
                { kind: 'Field', name: { kind: 'Name', value: 'locale' } },
                { kind: 'Field', name: { kind: 'Name', value: 'permissionsAnyScope' } },
                { kind: 'Field', name: { kind: 'Name', value: 'csrfToken' } },
                { kind: 'Field', name: { kind: 'Name', value: 'secondFactor' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'roles' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'role' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'scopeId' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SessionQuery, SessionQueryVariables>;
export const LogoutDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'Logout' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [{ kind: 'Field', name: { kind: 'Name', value: 'logout' } }],
      },
    },
  ],
} as unknown as DocumentNode<LogoutMutation, LogoutMutationVariables>;
export const ConsoleAlertDetailDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleAlertDetail' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'acknowledgedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'authorName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'authorKind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'photoUrl' } },
                { kind: 'Field', name: { kind: 'Name', value: 'targetKind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'targetSectorIds' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'category' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'label' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'history' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'note' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'assignee' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'consoleNotes' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'authorName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'deliverySummary' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'recipients' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'total' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'byChannel' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'channel' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                          ],
                        },
                      },
                    ],
                  },
                },
                { kind: 'Field', name: { kind: 'Name', value: 'canFollowUp' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'followUps' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAlertDetailQuery, ConsoleAlertDetailQueryVariables>;
export const ConsoleAlertNeighboursDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleAlertNeighbours' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'reactions' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'seenToo' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'canHelp' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'neighbourReport' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'what' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'place' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'seenAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'vehicle' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'plate' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'called17' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'mergedReports' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAlertNeighboursQuery, ConsoleAlertNeighboursQueryVariables>;
export const ConsoleAgentsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleAgents' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'consoleAgents' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAgentsQuery, ConsoleAgentsQueryVariables>;
export const ConsoleAcknowledgeDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleAcknowledge' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'acknowledgeAlert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'acknowledgedAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAcknowledgeMutation, ConsoleAcknowledgeMutationVariables>;
export const ConsoleSetStatusDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleSetStatus' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'status' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'AlertStatus' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'closure' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'AlertClosure' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'note' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setAlertStatus' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'status' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'status' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'closure' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'closure' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'note' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'note' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closedAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleSetStatusMutation, ConsoleSetStatusMutationVariables>;
export const ConsoleFollowUpDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleFollowUp' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'addAlertFollowUp' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'text' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'followUps' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleFollowUpMutation, ConsoleFollowUpMutationVariables>;
export const ConsoleEndAlertDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleEndAlert' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'closure' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'AlertClosure' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'endAlert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'text' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'closure' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'closure' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closedAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'followUps' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleEndAlertMutation, ConsoleEndAlertMutationVariables>;
export const ConsoleAssignDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleAssign' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'agentId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'assignAlert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'agentId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'agentId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'assignee' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAssignMutation, ConsoleAssignMutationVariables>;
export const ConsoleNoteDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleNote' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'addAlertNote' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'text' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'consoleNotes' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'authorName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleNoteMutation, ConsoleNoteMutationVariables>;
export const ComposeContextDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ComposeContext' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertCategories' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'slug' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                { kind: 'Field', name: { kind: 'Name', value: 'defaultSeverity' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'sectors' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'geometry' } },
                { kind: 'Field', name: { kind: 'Name', value: 'bbox' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertTemplates' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'category' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ComposeContextQuery, ComposeContextQueryVariables>;
export const SaveAlertTemplateDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SaveAlertTemplate' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'category' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'saveAlertTemplate' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'category' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'category' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'text' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'text' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'category' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SaveAlertTemplateMutation, SaveAlertTemplateMutationVariables>;
export const AlertPreviewDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'AlertPreview' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'RaiseAlertInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertPreview' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'recipients' } },
                { kind: 'Field', name: { kind: 'Name', value: 'households' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'byChannel' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'channel' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'now' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'held' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'skipped' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'sms' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'typedEncoding' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ucs2Characters' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'suggestion' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'encoding' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'segmentsPerMessage' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'messages' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'segments' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'budget' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'segmentsUsedThisMonth' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'segmentsLeft' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'cost' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'pricePerSegment' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'total' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'budgetLeft' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AlertPreviewQuery, AlertPreviewQueryVariables>;
export const ConsoleRaiseAlertDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleRaiseAlert' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'RaiseAlertInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'raiseAlert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleRaiseAlertMutation, ConsoleRaiseAlertMutationVariables>;
export const ConsoleAlertsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleAlerts' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'AlertFilter' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alerts' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'filter' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'filter' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '100' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'items' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'acknowledgedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'targetKind' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'targetSectorIds' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'authorKind' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'location' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'lon' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'lat' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'category' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'slug' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'assignee' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAlertsQuery, ConsoleAlertsQueryVariables>;
export const ConsoleContextDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleContext' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertCategories' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'slug' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'sectors' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'geometry' } },
                { kind: 'Field', name: { kind: 'Name', value: 'bbox' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleContextQuery, ConsoleContextQueryVariables>;
export const ConsoleAlertRaisedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'ConsoleAlertRaised' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertRaised' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'acknowledgedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'targetKind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'targetSectorIds' } },
                { kind: 'Field', name: { kind: 'Name', value: 'authorKind' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'location' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'lon' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'lat' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'category' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'slug' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAlertRaisedSubscription, ConsoleAlertRaisedSubscriptionVariables>;
export const ConsoleAlertStatusDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'ConsoleAlertStatus' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertStatusChanged' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                { kind: 'Field', name: { kind: 'Name', value: 'acknowledgedAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleAlertStatusSubscription, ConsoleAlertStatusSubscriptionVariables>;
export const ConsoleRegisterAtCounterDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleRegisterAtCounter' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'CounterRegistrationInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'registerResidentAtCounter' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'accountId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'sectorName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'smsTo' } },
                { kind: 'Field', name: { kind: 'Name', value: 'voiceTo' } },
                { kind: 'Field', name: { kind: 'Name', value: 'urgentChannels' } },
                { kind: 'Field', name: { kind: 'Name', value: 'invitationSent' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleRegisterAtCounterMutation, ConsoleRegisterAtCounterMutationVariables>;
export const DeliveryReportSummaryDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'DeliveryReportSummary' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'category' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'label' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertDeliveryReport' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '1' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'summary' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'recipients' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'total' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'byStatus' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'byChannel' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'channel' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'count' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DeliveryReportSummaryQuery, DeliveryReportSummaryQueryVariables>;
export const DeliveryReportRowsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'DeliveryReportRows' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'status' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'DeliveryStatus' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'channel' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'NotificationChannel' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'limit' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertDeliveryReport' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'status' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'status' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'channel' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'channel' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'after' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'after' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'limit' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'nextCursor' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'items' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'recipientName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'accountId' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'purpose' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'channel' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'attempts' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'device' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'queuedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'sentAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'deliveredAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'failedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'notBefore' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DeliveryReportRowsQuery, DeliveryReportRowsQueryVariables>;
export const ConsoleOnDutyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleOnDuty' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'policeOnDuty' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'accountId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'since' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleOnDutyQuery, ConsoleOnDutyQueryVariables>;
export const ConsoleOnDutyAgentsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleOnDutyAgents' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'consoleAgents' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleOnDutyAgentsQuery, ConsoleOnDutyAgentsQueryVariables>;
export const ConsoleSetOnDutyDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ConsoleSetOnDuty' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'accountId' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'setPoliceOnDuty' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'accountId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'accountId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'accountId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'since' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleSetOnDutyMutation, ConsoleSetOnDutyMutationVariables>;
export const ConsoleStatisticsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ConsoleStatistics' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'year' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'Int' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'consoleStatistics' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'year' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'year' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'year' } },
                { kind: 'Field', name: { kind: 'Name', value: 'htmlUrl' } },
                { kind: 'Field', name: { kind: 'Name', value: 'csvUrl' } },
                { kind: 'Field', name: { kind: 'Name', value: 'pdfUrl' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'sections' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'labelEn' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'figures' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'key' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'labelEn' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'value' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'display' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'measure' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'monthly' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  { kind: 'Field', name: { kind: 'Name', value: 'value' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'display' } },
                                ],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConsoleStatisticsQuery, ConsoleStatisticsQueryVariables>;
export const SolCcasPlanDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SolCcasPlan' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solPlan' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'prefectureLevel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'day' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'counts' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'pending' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'answered' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'notAnswered' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'visited' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'contacts' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'personId' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'firstName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'lastName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'channel' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'phone' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solActivations' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'startedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'endedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'closed' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'summary' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'answered' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'notAnswered' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'visited' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolCcasPlanQuery, SolCcasPlanQueryVariables>;
export const SolCcasRegisterDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SolCcasRegister' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solRegister' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'firstName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'contactMethod' } },
                { kind: 'Field', name: { kind: 'Name', value: 'phone' } },
                { kind: 'Field', name: { kind: 'Name', value: 'intervalDays' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'escalation' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'volunteers' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolCcasRegisterQuery, SolCcasRegisterQueryVariables>;
export const SolActivateDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolActivate' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'kind' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'SolPlanKind' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'level' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solActivatePlan' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'kind' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'kind' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'prefectureLevel' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'level' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolActivateMutation, SolActivateMutationVariables>;
export const SolDeactivateDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolDeactivate' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solDeactivatePlan' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolDeactivateMutation, SolDeactivateMutationVariables>;
export const SolCcasNewsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolCcasNews' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solNewsReceived' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'personId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolCcasNewsMutation, SolCcasNewsMutationVariables>;
export const SolCcasPersonDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SolCcasPerson' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solPerson' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'firstName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'communityId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'contactMethod' } },
                { kind: 'Field', name: { kind: 'Name', value: 'phone' } },
                { kind: 'Field', name: { kind: 'Name', value: 'intervalDays' } },
                { kind: 'Field', name: { kind: 'Name', value: 'escalatePolice' } },
                { kind: 'Field', name: { kind: 'Name', value: 'visibility' } },
                { kind: 'Field', name: { kind: 'Name', value: 'consentBy' } },
                { kind: 'Field', name: { kind: 'Name', value: 'consentName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'consentAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'nextSignDueAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'escalation' } },
                { kind: 'Field', name: { kind: 'Name', value: 'healthNotes' } },
                { kind: 'Field', name: { kind: 'Name', value: 'hasHealthNotes' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'volunteers' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolCcasPersonQuery, SolCcasPersonQueryVariables>;
export const SolCcasVolunteersDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SolCcasVolunteers' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solVolunteers' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'availability' } },
                { kind: 'Field', name: { kind: 'Name', value: 'communityId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'communityName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'pairedCount' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolCcasVolunteersQuery, SolCcasVolunteersQueryVariables>;
export const SolPairDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolPair' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'volunteerId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solPair' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'personId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'volunteerId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'volunteerId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolPairMutation, SolPairMutationVariables>;
export const SolUnpairDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolUnpair' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'volunteerId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solUnpair' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'personId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'volunteerId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'volunteerId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolUnpairMutation, SolUnpairMutationVariables>;
export const SolUpdateDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolUpdate' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'SolPersonUpdate' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solUpdatePerson' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolUpdateMutation, SolUpdateMutationVariables>;
export const SolCcasWithdrawDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolCcasWithdraw' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solWithdrawConsent' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolCcasWithdrawMutation, SolCcasWithdrawMutationVariables>;
export const SolRegisterDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolRegister' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'SolPersonInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solRegisterPerson' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolRegisterMutation, SolRegisterMutationVariables>;
export const SolHomeSummaryDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SolHomeSummary' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solRegister' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'escalation' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solPlan' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolHomeSummaryQuery, SolHomeSummaryQueryVariables>;
export const SolMineDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'SolMine' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solMyEntries' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'firstName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'forSelf' } },
                { kind: 'Field', name: { kind: 'Name', value: 'intervalDays' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'roundContactId' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solMyVolunteering' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'volunteer' } },
                { kind: 'Field', name: { kind: 'Name', value: 'availability' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'people' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'firstName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'contactMethod' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'contact' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'nextSignDueAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'escalation' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'roundContactId' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolMineQuery, SolMineQueryVariables>;
export const SolImFineDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolImFine' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solImFine' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolImFineMutation, SolImFineMutationVariables>;
export const SolWithdrawDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolWithdraw' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solWithdrawConsent' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolWithdrawMutation, SolWithdrawMutationVariables>;
export const SolOfferDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolOffer' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'availability' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solOfferToVolunteer' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'availability' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'availability' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'volunteer' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolOfferMutation, SolOfferMutationVariables>;
export const SolStepBackDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolStepBack' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [{ kind: 'Field', name: { kind: 'Name', value: 'solStepBack' } }],
      },
    },
  ],
} as unknown as DocumentNode<SolStepBackMutation, SolStepBackMutationVariables>;
export const SolNewsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolNews' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solNewsReceived' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'personId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'personId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'lastSignAt' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolNewsMutation, SolNewsMutationVariables>;
export const SolRecordContactDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SolRecordContact' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'contactId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'outcome' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'SolOutcome' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'solRecordContact' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'contactId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'contactId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'outcome' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'outcome' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SolRecordContactMutation, SolRecordContactMutationVariables>;
export const TvPatrolDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TvPatrol' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'date' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tvPatrol' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'date' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'date' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'date' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'stops' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'order' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'suggestedTime' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'visitedToday' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'absence' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'doorCode' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'details' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [
                                  { kind: 'Field', name: { kind: 'Name', value: 'dwelling' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'floor' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'contactName' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'contactPhone' } },
                                  { kind: 'Field', name: { kind: 'Name', value: 'alarmCompany' } },
                                ],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvPatrolQuery, TvPatrolQueryVariables>;
export const TvLogVisitDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvLogVisit' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'absenceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'outcome' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'TvVisitOutcome' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'note' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'logVisit' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'absenceId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'absenceId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'outcome' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'outcome' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'note' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'note' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'visitedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvLogVisitMutation, TvLogVisitMutationVariables>;
export const TvConsoleDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TvConsole' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tvAnomalies' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'visit' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'visitedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'note' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'contactCall' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'absence' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tvAbsences' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'departsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'returnsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastVisitAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'residentName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'declaredAtCounter' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvConsoleQuery, TvConsoleQueryVariables>;
export const TvValidateDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvValidate' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'validateAbsence' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvValidateMutation, TvValidateMutationVariables>;
export const TvRefuseDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvRefuse' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'refuseAbsence' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvRefuseMutation, TvRefuseMutationVariables>;
export const TvAbsenceDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TvAbsence' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tvAbsence' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'departsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'returnsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'residentName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'doorCode' } },
                { kind: 'Field', name: { kind: 'Name', value: 'keyHolders' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'details' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'awayPhone' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'awayAddress' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'contactName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'contactPhone' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'alarm' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'alarmCompany' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'presenceSimulation' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'dwelling' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'floor' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'vehicles' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'pets' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'notes' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'businessName' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'businessActivity' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'businessPhone' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'visits' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'visitedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'note' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvAbsenceQuery, TvAbsenceQueryVariables>;
export const TvMyAbsencesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TvMyAbsences' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myAbsences' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'departsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'returnsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'refusalReason' } },
                { kind: 'Field', name: { kind: 'Name', value: 'earlyReturn' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'visits' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'visitedAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'outcome' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvMyAbsencesQuery, TvMyAbsencesQueryVariables>;
export const TvChangeReturnDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvChangeReturn' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'returnsAt' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'changeAbsenceDates' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'returnsAt' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'returnsAt' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'returnsAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvChangeReturnMutation, TvChangeReturnMutationVariables>;
export const TvEarlyReturnDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvEarlyReturn' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'declareEarlyReturn' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'returnsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'earlyReturn' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvEarlyReturnMutation, TvEarlyReturnMutationVariables>;
export const TvCancelDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvCancel' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'cancelAbsence' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvCancelMutation, TvCancelMutationVariables>;
export const TvRulesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TvRules' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tvRules' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'minNoticeDays' } },
                { kind: 'Field', name: { kind: 'Name', value: 'earliestDays' } },
                { kind: 'Field', name: { kind: 'Name', value: 'maxAbsenceDays' } },
                { kind: 'Field', name: { kind: 'Name', value: 'secondaryHomes' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvRulesQuery, TvRulesQueryVariables>;
export const TvFindResidentDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'TvFindResident' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'tvResident' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'email' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'email' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'accountId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvFindResidentQuery, TvFindResidentQueryVariables>;
export const TvDeclareDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'TvDeclare' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'TvAbsenceInput' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'for' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'declareAbsence' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'forAccountId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'for' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<TvDeclareMutation, TvDeclareMutationVariables>;
export const NeighbourAlertFormDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'NeighbourAlertForm' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'locale' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'NeighbourAlertLocale' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'neighbourAlertForm' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'locale' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'locale' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                { kind: 'Field', name: { kind: 'Name', value: 'warning' } },
                { kind: 'Field', name: { kind: 'Name', value: 'alertsPerHour' } },
                { kind: 'Field', name: { kind: 'Name', value: 'alertsLeftThisHour' } },
                { kind: 'Field', name: { kind: 'Name', value: 'mergeWindowMinutes' } },
                { kind: 'Field', name: { kind: 'Name', value: 'policeEmergencyNumber' } },
                { kind: 'Field', name: { kind: 'Name', value: 'europeanEmergencyNumber' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'policeMunicipale' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'phone' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'hours' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'categories' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'slug' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'defaultSeverity' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'photo' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'maxBytes' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'acceptedTypes' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'uploadUrl' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'help' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<NeighbourAlertFormQuery, NeighbourAlertFormQueryVariables>;
export const RaiseNeighbourAlertDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RaiseNeighbourAlert' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'NeighbourAlertInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'raiseNeighbourAlert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'merged' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'alert' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RaiseNeighbourAlertMutation, RaiseNeighbourAlertMutationVariables>;
export const MyAlertsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MyAlerts' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myAlerts' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '50' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'items' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'category' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [{ kind: 'Field', name: { kind: 'Name', value: 'label' } }],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'history' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'note' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                          ],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'reactions' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'seenToo' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'canHelp' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyAlertsQuery, MyAlertsQueryVariables>;
export const AlertDetailDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'AlertDetail' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'mine' } },
                { kind: 'Field', name: { kind: 'Name', value: 'authorName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'photoUrl' } },
                { kind: 'Field', name: { kind: 'Name', value: 'followsAlertId' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'followUps' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'category' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'label' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'history' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'note' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'closure' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'reactions' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'seenToo' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'canHelp' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'mine' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'neighbours' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                            {
                              kind: 'Field',
                              name: { kind: 'Name', value: 'neighbour' },
                              selectionSet: {
                                kind: 'SelectionSet',
                                selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AlertDetailQuery, AlertDetailQueryVariables>;
export const ReactToNeighbourAlertDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ReactToNeighbourAlert' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'kind' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'NeighbourReactionKind' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'reactToNeighbourAlert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'alertId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'alertId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'kind' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'kind' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'reactions' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'seenToo' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'canHelp' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'mine' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReactToNeighbourAlertMutation, ReactToNeighbourAlertMutationVariables>;
export const MyAlertStatusChangedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'MyAlertStatusChanged' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alertStatusChanged' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyAlertStatusChangedSubscription, MyAlertStatusChangedSubscriptionVariables>;
export const LiveNotificationsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'LiveNotifications' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'inAppNotification' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kind' } },
                { kind: 'Field', name: { kind: 'Name', value: 'link' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<LiveNotificationsSubscription, LiveNotificationsSubscriptionVariables>;
export const LiveFeedItemDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'LiveFeedItem' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'alert' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'category' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'label' } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<LiveFeedItemQuery, LiveFeedItemQueryVariables>;
export const BoundarySectorDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'BoundarySector' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'sector' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'geometry' } },
                { kind: 'Field', name: { kind: 'Name', value: 'bbox' } },
                { kind: 'Field', name: { kind: 'Name', value: 'areaM2' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressCount' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BoundarySectorQuery, BoundarySectorQueryVariables>;
export const BoundaryNeighboursDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'BoundaryNeighbours' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'sectors' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'geometry' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<BoundaryNeighboursQuery, BoundaryNeighboursQueryVariables>;
export const RedrawBoundaryDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RedrawBoundary' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'communityId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'geometry' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'confirmOverlap' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'Boolean' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'redrawCommunityBoundary' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'communityId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'geometry' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'geometry' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'confirmOverlap' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'confirmOverlap' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'areaM2' } },
                { kind: 'Field', name: { kind: 'Name', value: 'movedAddresses' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'community' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'overlaps' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RedrawBoundaryMutation, RedrawBoundaryMutationVariables>;
export const MyCommunityPageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MyCommunityPage' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myMembership' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'request' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'exclusion' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myCommunity' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                { kind: 'Field', name: { kind: 'Name', value: 'memberCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'coverage' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'addresses' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'households' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ratio' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'referents' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'latestAlerts' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'limit' },
                      value: { kind: 'IntValue', value: '10' },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ref' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'severity' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'seenToo' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'canHelp' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'category' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [{ kind: 'Field', name: { kind: 'Name', value: 'label' } }],
                        },
                      },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'latestThreads' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'limit' },
                      value: { kind: 'IntValue', value: '5' },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'categoryLabel' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'commentCount' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'lastActivityAt' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'upcomingEvents' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'limit' },
                      value: { kind: 'IntValue', value: '3' },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'startsAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'place' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'communityCharter' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'version' } },
                { kind: 'Field', name: { kind: 'Name', value: 'text' } },
                { kind: 'Field', name: { kind: 'Name', value: 'accepted' } },
                { kind: 'Field', name: { kind: 'Name', value: 'acceptedAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyCommunityPageQuery, MyCommunityPageQueryVariables>;
export const AcceptCharterDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'AcceptCharter' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'version' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'acceptCharter' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'version' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'version' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'accepted' } },
                { kind: 'Field', name: { kind: 'Name', value: 'acceptedAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AcceptCharterMutation, AcceptCharterMutationVariables>;
export const ConversationsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Conversations' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'conversations' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'unread' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'neighbour' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'lastMessage' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'mine' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myCommunity' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'members' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'limit' },
                      value: { kind: 'IntValue', value: '100' },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'me' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ConversationsQuery, ConversationsQueryVariables>;
export const MessagesWithDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MessagesWith' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'neighbourId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'messagesWith' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'neighbourId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'neighbourId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '100' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'mine' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'author' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myCommunity' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'members' },
                  arguments: [
                    {
                      kind: 'Argument',
                      name: { kind: 'Name', value: 'limit' },
                      value: { kind: 'IntValue', value: '200' },
                    },
                  ],
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MessagesWithQuery, MessagesWithQueryVariables>;
export const SendPrivateMessageDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'SendPrivateMessage' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'recipientId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'body' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'sendPrivateMessage' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'recipientId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'recipientId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'body' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'body' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<SendPrivateMessageMutation, SendPrivateMessageMutationVariables>;
export const MarkConversationReadDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'MarkConversationRead' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'neighbourId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'markConversationRead' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'neighbourId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'neighbourId' } },
              },
            ],
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MarkConversationReadMutation, MarkConversationReadMutationVariables>;
export const ThreadsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Threads' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'threads' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '30' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                { kind: 'Field', name: { kind: 'Name', value: 'categoryLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'commentCount' } },
                { kind: 'Field', name: { kind: 'Name', value: 'lastActivityAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'author' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'discussionCategories' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'value' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ThreadsQuery, ThreadsQueryVariables>;
export const ThreadDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'Thread' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'thread' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                { kind: 'Field', name: { kind: 'Name', value: 'categoryLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'author' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'comments' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'author' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [
                            { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                            { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'reportReasons' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'value' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ThreadQuery, ThreadQueryVariables>;
export const CreateThreadDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'CreateThread' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ThreadInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'createThread' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<CreateThreadMutation, CreateThreadMutationVariables>;
export const AddCommentDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'AddComment' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'threadId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'body' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'addComment' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'threadId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'threadId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'body' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'body' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<AddCommentMutation, AddCommentMutationVariables>;
export const ReportContentDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ReportContent' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ReportInput' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'reportContent' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'input' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'input' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReportContentMutation, ReportContentMutationVariables>;
export const CommunityEventsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'CommunityEvents' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'communityEvents' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '20' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'title' } },
                { kind: 'Field', name: { kind: 'Name', value: 'description' } },
                { kind: 'Field', name: { kind: 'Name', value: 'place' } },
                { kind: 'Field', name: { kind: 'Name', value: 'startsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'endsAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'kindLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'cancelled' } },
                { kind: 'Field', name: { kind: 'Name', value: 'cancelReason' } },
                { kind: 'Field', name: { kind: 'Name', value: 'myRsvp' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'organiser' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rsvpCounts' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'yes' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maybe' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'no' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<CommunityEventsQuery, CommunityEventsQueryVariables>;
export const RsvpEventDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RsvpEvent' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'eventId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'answer' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'RsvpAnswer' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'rsvpEvent' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'eventId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'eventId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'answer' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'answer' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'myRsvp' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'rsvpCounts' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'yes' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'maybe' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'no' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RsvpEventMutation, RsvpEventMutationVariables>;
export const GovernanceCommunitiesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'GovernanceCommunities' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'communities' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceCommunitiesQuery, GovernanceCommunitiesQueryVariables>;
export const GovernanceCommunityDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'GovernanceCommunity' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'community' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'memberCount' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'coverage' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'addresses' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'households' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'ratio' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'referentRound' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'phase' } },
                { kind: 'Field', name: { kind: 'Name', value: 'seatsLeft' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'referents' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceCommunityQuery, GovernanceCommunityQueryVariables>;
export const GovernanceRoundDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'GovernanceRound' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'referentRound' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'roundId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'phase' } },
                { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
                { kind: 'Field', name: { kind: 'Name', value: 'seatsLeft' } },
                { kind: 'Field', name: { kind: 'Name', value: 'collectUntil' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'community' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'name' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'candidates' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'referents' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceRoundQuery, GovernanceRoundQueryVariables>;
export const GovernanceOpenRoundDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'GovernanceOpenRound' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'openReferentRound' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'phase' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceOpenRoundMutation, GovernanceOpenRoundMutationVariables>;
export const GovernanceChooseDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'GovernanceChoose' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'accountIds' } },
          type: {
            kind: 'NonNullType',
            type: {
              kind: 'ListType',
              type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
            },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'chooseReferents' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'accountIds' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'accountIds' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'phase' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceChooseMutation, GovernanceChooseMutationVariables>;
export const GovernanceUnassignedDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'GovernanceUnassigned' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'unassignedAddresses' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '20' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'total' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'addresses' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceUnassignedQuery, GovernanceUnassignedQueryVariables>;
export const GovernanceAppealsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'GovernanceAppeals' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'exclusionAppeals' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'status' },
                value: { kind: 'StringValue', value: 'pending', block: false },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'statement' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'exclusion' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'community' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                        },
                      },
                      {
                        kind: 'Field',
                        name: { kind: 'Name', value: 'member' },
                        selectionSet: {
                          kind: 'SelectionSet',
                          selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceAppealsQuery, GovernanceAppealsQueryVariables>;
export const GovernanceDecideDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'GovernanceDecide' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'decision' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'AppealDecision' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'decideExclusionAppeal' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'appealId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'decision' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'decision' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceDecideMutation, GovernanceDecideMutationVariables>;
export const GovernanceModerationLogDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'GovernanceModerationLog' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'moderationLog' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'limit' },
                value: { kind: 'IntValue', value: '20' },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'action' } },
                { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
                { kind: 'Field', name: { kind: 'Name', value: 'contentType' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'community' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'name' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'actor' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<GovernanceModerationLogQuery, GovernanceModerationLogQueryVariables>;
export const MyReferentCommunitiesDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'MyReferentCommunities' },
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'myReferentCommunities' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'name' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<MyReferentCommunitiesQuery, MyReferentCommunitiesQueryVariables>;
export const ReferentDeskDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'ReferentDesk' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'communityId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'membershipRequests' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'communityId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'message' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'requester' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'displayName' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'verificationQueue' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'residenceId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'residentDisplayName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'addressLabel' } },
                { kind: 'Field', name: { kind: 'Name', value: 'sectorName' } },
                { kind: 'Field', name: { kind: 'Name', value: 'submittedAt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'isMove' } },
                { kind: 'Field', name: { kind: 'Name', value: 'escalated' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'proof' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'mime' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'sizeBytes' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'rejectionReasons' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'code' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
                { kind: 'Field', name: { kind: 'Name', value: 'labelEn' } },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'communitySupportRequests' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'communityId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'status' },
                value: { kind: 'StringValue', value: 'open', block: false },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'subject' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'author' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                  },
                },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'messages' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [
                      { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'body' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'createdAt' } },
                      { kind: 'Field', name: { kind: 'Name', value: 'fromReferent' } },
                    ],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'moderationQueue' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'communityId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'communityId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'contentId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'contentType' } },
                { kind: 'Field', name: { kind: 'Name', value: 'excerpt' } },
                { kind: 'Field', name: { kind: 'Name', value: 'reportCount' } },
                { kind: 'Field', name: { kind: 'Name', value: 'reasons' } },
                { kind: 'Field', name: { kind: 'Name', value: 'firstReportedAt' } },
                {
                  kind: 'Field',
                  name: { kind: 'Name', value: 'author' },
                  selectionSet: {
                    kind: 'SelectionSet',
                    selections: [{ kind: 'Field', name: { kind: 'Name', value: 'displayName' } }],
                  },
                },
              ],
            },
          },
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'reportReasons' },
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'value' } },
                { kind: 'Field', name: { kind: 'Name', value: 'label' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReferentDeskQuery, ReferentDeskQueryVariables>;
export const ApproveMembershipDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ApproveMembership' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'approveMembershipRequest' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ApproveMembershipMutation, ApproveMembershipMutationVariables>;
export const RefuseMembershipDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'RefuseMembership' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'refuseMembershipRequest' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<RefuseMembershipMutation, RefuseMembershipMutationVariables>;
export const ProofLinkDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ProofLink' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'residenceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'proofLink' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'residenceId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'residenceId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'url' } },
                { kind: 'Field', name: { kind: 'Name', value: 'expiresAt' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ProofLinkMutation, ProofLinkMutationVariables>;
export const DecideVerificationDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'DecideVerification' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'residenceId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'decision' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'VerificationDecision' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'comment' } },
          type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'decideVerification' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'residenceId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'residenceId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'decision' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'decision' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'comment' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'comment' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DecideVerificationMutation, DecideVerificationMutationVariables>;
export const ReplySupportDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'ReplySupport' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'body' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'replyToSupportRequest' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'id' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'id' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'body' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'body' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'id' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<ReplySupportMutation, ReplySupportMutationVariables>;
export const HideContentDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'HideContent' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'contentId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'contentType' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ModeratedContent' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'hideContent' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'contentId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'contentId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'contentType' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'contentType' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<HideContentMutation, HideContentMutationVariables>;
export const DismissReportsDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'mutation',
      name: { kind: 'Name', value: 'DismissReports' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'contentId' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } } },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'contentType' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ModeratedContent' } },
          },
        },
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
          type: { kind: 'NonNullType', type: { kind: 'NamedType', name: { kind: 'Name', value: 'String' } } },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'dismissReports' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'contentId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'contentId' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'contentType' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'contentType' } },
              },
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'reason' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'reason' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<DismissReportsMutation, DismissReportsMutationVariables>;
