// The counter (issue 12): a mairie agent registers a resident without
// internet on their behalf. The paper proof of address is seen by the agent
// and never stored: only its kind, from the core's fixed list, is audited.
// Everything else is the core's (services.residents.registerAtCounter): the
// account, the residence verified by the agent, the alerts by SMS or voice
// call, and the invitation when there is an email.
import { COUNTER_PROOF_KINDS, type PluginResolvers } from '@vigie/platform/plugin';
import { P } from '../permissions.js';

const KINDS = Object.keys(COUNTER_PROOF_KINDS);

export const counterTypeDefs = /* GraphQL */ `
  "A proof of address the agent saw at the counter (never stored, only its kind)."
  enum CounterProofKind {
    ${KINDS.join('\n    ')}
  }

  input CounterRegistrationInput {
    "The name neighbours and the police see (2 to 40 characters)."
    displayName: String! @length(max: 40)
    "One of the commune's addresses (addressSearch)."
    addressId: ID!
    "A mobile (06, 07, or E.164): alerts by SMS. At least this or the landline."
    mobile: String @length(max: 30)
    "A landline (01 to 05, 09) or any number a call reaches: alerts by voice call."
    landline: String @length(max: 30)
    "With an email, the resident is invited to choose a password and use the portal."
    email: String @length(max: 254)
    locale: Locale
    proofKind: CounterProofKind!
  }

  "What the counter registration did, to tell the resident before they leave."
  type CounterRegistration {
    accountId: ID!
    displayName: String!
    addressLabel: String!
    sectorName: String!
    "The mobile alerts are texted to (E.164), if any."
    smsTo: String
    "The number urgent alerts call (E.164), if any."
    voiceTo: String
    importantChannels: [String!]!
    urgentChannels: [String!]!
    "An invitation to choose a password was emailed."
    invitationSent: Boolean!
  }

  extend type Mutation {
    "Console: registers a resident at the counter (permission mairie-vigilante.counter.register); audited."
    registerResidentAtCounter(input: CounterRegistrationInput!): CounterRegistration!
  }
`;

interface Input {
  displayName: string;
  addressId: string;
  mobile?: string | null;
  landline?: string | null;
  email?: string | null;
  locale?: 'fr' | 'en' | null;
  proofKind: string;
}

const resolvers: PluginResolvers = {
  Mutation: {
    registerResidentAtCounter: async (_r, { input }: { input: Input }, ctx) => {
      ctx.authorize(P.counter);
      const me = ctx.requireAccount();
      const done = await ctx.tx((trx) =>
        ctx.services.residents.registerAtCounter(trx, {
          tenantId: me.tenantId,
          agentAccountId: me.accountId,
          displayName: input.displayName,
          addressId: input.addressId,
          mobile: input.mobile ?? null,
          landline: input.landline ?? null,
          email: input.email ?? null,
          locale: input.locale ?? 'fr',
          proofKind: input.proofKind,
          ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        }),
      );
      return {
        accountId: done.accountId,
        displayName: done.displayName,
        addressLabel: done.addressLabel,
        sectorName: done.sectorName,
        smsTo: done.smsTo,
        voiceTo: done.voiceTo,
        importantChannels: done.channels.important,
        urgentChannels: done.channels.urgent,
        invitationSent: done.invitationSent,
      };
    },
  },
};

export const counter = { typeDefs: counterTypeDefs, resolvers };
