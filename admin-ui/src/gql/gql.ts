/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  '\n  query DevOutbox($recipient: String) {\n    devOutbox(recipient: $recipient, limit: 5) {\n      id\n      channel\n      recipient\n      subject\n      body\n      createdAt\n    }\n  }\n': typeof types.DevOutboxDocument;
  '\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      csrfToken\n      secondFactorRequired\n      me {\n        secondFactor\n        roles {\n          role\n        }\n      }\n    }\n  }\n': typeof types.LoginDocument;
  '\n  mutation VerifyTotp($code: String!) {\n    verifyTotp(code: $code)\n  }\n': typeof types.VerifyTotpDocument;
  '\n  mutation ExportMyData {\n    exportMyData {\n      json\n      html\n    }\n  }\n': typeof types.ExportMyDataDocument;
  '\n  mutation DeleteMyAccount($password: String!) {\n    deleteMyAccount(password: $password)\n  }\n': typeof types.DeleteMyAccountDocument;
  '\n  query MyNotifications {\n    myNotifications(limit: 50) {\n      id\n      kind\n      title\n      body\n      link\n      createdAt\n      readAt\n    }\n    myUnreadNotificationCount\n  }\n': typeof types.MyNotificationsDocument;
  '\n  mutation MarkNotificationsRead($ids: [ID!]) {\n    markNotificationsRead(ids: $ids)\n  }\n': typeof types.MarkNotificationsReadDocument;
  '\n  subscription LiveNotification {\n    inAppNotification {\n      id\n      title\n    }\n  }\n': typeof types.LiveNotificationDocument;
  '\n  query MyPreferences {\n    myNotificationPreferences {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n': typeof types.MyPreferencesDocument;
  '\n  mutation UpdatePreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n': typeof types.UpdatePreferencesDocument;
  '\n  query PushSetup {\n    vapidPublicKey\n    myPushSubscriptions {\n      id\n      endpoint\n      label\n      createdAt\n    }\n  }\n': typeof types.PushSetupDocument;
  '\n  mutation SubscribePush($input: PushSubscriptionInput!) {\n    subscribePush(input: $input) {\n      id\n    }\n  }\n': typeof types.SubscribePushDocument;
  '\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n': typeof types.UnsubscribePushDocument;
  '\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      csrfToken\n    }\n  }\n': typeof types.RegisterDocument;
  '\n  query MyResidence {\n    myResidence {\n      id\n      status\n      addressLabel\n      sectorName\n      submittedAt\n      decidedAt\n      decisionReasonLabel\n      decisionComment\n      escalated\n    }\n    myReferentCandidacy {\n      wanted\n      status\n      community {\n        id\n        name\n      }\n    }\n  }\n': typeof types.MyResidenceDocument;
  '\n  query SearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n      postcode\n      city\n    }\n  }\n': typeof types.SearchAddressesDocument;
  '\n  mutation WithdrawVerification {\n    withdrawVerification {\n      id\n      status\n    }\n  }\n': typeof types.WithdrawVerificationDocument;
  '\n  mutation SetReferentCandidacy($wanted: Boolean!) {\n    setReferentCandidacy(wanted: $wanted) {\n      wanted\n      status\n    }\n  }\n': typeof types.SetReferentCandidacyDocument;
  '\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password)\n  }\n': typeof types.ResetPasswordDocument;
  '\n  mutation SetupTotp {\n    setupTotp {\n      secret\n      otpauthUri\n    }\n  }\n': typeof types.SetupTotpDocument;
  '\n  mutation EnableTotp($code: String!) {\n    enableTotp(code: $code)\n  }\n': typeof types.EnableTotpDocument;
  '\n  mutation IssueTotpRecoveryCodes {\n    issueTotpRecoveryCodes\n  }\n': typeof types.IssueTotpRecoveryCodesDocument;
  '\n  mutation SendPhoneCode {\n    sendPhoneCode\n  }\n': typeof types.SendPhoneCodeDocument;
  '\n  mutation VerifyPhone($code: String!) {\n    verifyPhone(code: $code)\n  }\n': typeof types.VerifyPhoneDocument;
  '\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n': typeof types.ResendEmailVerificationDocument;
  '\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n': typeof types.VerifyEmailDocument;
  '\n  query ShellSearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n    }\n  }\n': typeof types.ShellSearchAddressesDocument;
  '\n  mutation SetMyLocale($locale: Locale!) {\n    setMyLocale(locale: $locale) {\n      id\n      locale\n    }\n  }\n': typeof types.SetMyLocaleDocument;
  '\n  query Unread {\n    myUnreadNotificationCount\n  }\n': typeof types.UnreadDocument;
  '\n  subscription NotificationArrived {\n    inAppNotification {\n      id\n    }\n  }\n': typeof types.NotificationArrivedDocument;
  '\n  query Session {\n    tenant {\n      slug\n      name\n      status\n      enabledPlugins\n      basemap\n      branding {\n        displayName\n        primaryColor\n        secondaryColor\n        logoUrl\n      }\n    }\n    me {\n      id\n      displayName\n      email\n      emailVerified\n      phone\n      phoneVerified\n      locale\n      permissionsAnyScope\n      csrfToken\n      secondFactor\n      roles {\n        role\n        scopeId\n      }\n    }\n  }\n': typeof types.SessionDocument;
  '\n  mutation Logout {\n    logout\n  }\n': typeof types.LogoutDocument;
  '\n  query ConsoleAlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      closedAt\n      authorName\n      authorKind\n      photoUrl\n      targetKind\n      targetSectorIds\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      assignee {\n        id\n        displayName\n      }\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n      deliverySummary {\n        recipients\n        total\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n      canFollowUp\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n': typeof types.ConsoleAlertDetailDocument;
  '\n  query ConsoleAlertNeighbours($id: ID!) {\n    alert(id: $id) {\n      id\n      reactions {\n        seenToo\n        canHelp\n      }\n      neighbourReport {\n        what\n        place\n        seenAt\n        vehicle\n        plate\n        called17\n        mergedReports\n      }\n    }\n  }\n': typeof types.ConsoleAlertNeighboursDocument;
  '\n  query ConsoleAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n': typeof types.ConsoleAgentsDocument;
  '\n  mutation ConsoleAcknowledge($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n': typeof types.ConsoleAcknowledgeDocument;
  '\n  mutation ConsoleSetStatus($id: ID!, $status: AlertStatus!, $closure: AlertClosure, $note: String) {\n    setAlertStatus(id: $id, status: $status, closure: $closure, note: $note) {\n      id\n      status\n      closure\n      closedAt\n    }\n  }\n': typeof types.ConsoleSetStatusDocument;
  '\n  mutation ConsoleFollowUp($alertId: ID!, $text: String!) {\n    addAlertFollowUp(alertId: $alertId, text: $text) {\n      id\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n': typeof types.ConsoleFollowUpDocument;
  '\n  mutation ConsoleEndAlert($alertId: ID!, $text: String!, $closure: AlertClosure) {\n    endAlert(alertId: $alertId, text: $text, closure: $closure) {\n      id\n      status\n      closure\n      closedAt\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n': typeof types.ConsoleEndAlertDocument;
  '\n  mutation ConsoleAssign($alertId: ID!, $agentId: ID!) {\n    assignAlert(alertId: $alertId, agentId: $agentId) {\n      id\n      assignee {\n        id\n        displayName\n      }\n    }\n  }\n': typeof types.ConsoleAssignDocument;
  '\n  mutation ConsoleNote($alertId: ID!, $text: String!) {\n    addAlertNote(alertId: $alertId, text: $text) {\n      id\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n    }\n  }\n': typeof types.ConsoleNoteDocument;
  '\n  query ComposeContext {\n    alertCategories {\n      id\n      slug\n      label\n      defaultSeverity\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n    alertTemplates {\n      category\n      text\n    }\n  }\n': typeof types.ComposeContextDocument;
  '\n  mutation SaveAlertTemplate($category: String!, $text: String!) {\n    saveAlertTemplate(category: $category, text: $text) {\n      category\n      text\n    }\n  }\n': typeof types.SaveAlertTemplateDocument;
  '\n  query AlertPreview($input: RaiseAlertInput!) {\n    alertPreview(input: $input) {\n      recipients\n      households\n      byChannel {\n        channel\n        now\n        held\n        skipped\n      }\n      sms {\n        typedEncoding\n        ucs2Characters\n        suggestion\n        encoding\n        segmentsPerMessage\n        messages\n        segments\n        budget\n        segmentsUsedThisMonth\n        segmentsLeft\n        text\n      }\n      cost {\n        pricePerSegment\n        total\n        budgetLeft\n      }\n    }\n  }\n': typeof types.AlertPreviewDocument;
  '\n  mutation ConsoleRaiseAlert($input: RaiseAlertInput!) {\n    raiseAlert(input: $input) {\n      id\n      ref\n    }\n  }\n': typeof types.ConsoleRaiseAlertDocument;
  '\n  query ConsoleAlerts($filter: AlertFilter) {\n    alerts(filter: $filter, limit: 100) {\n      items {\n        id\n        ref\n        text\n        status\n        closure\n        severity\n        createdAt\n        acknowledgedAt\n        targetKind\n        targetSectorIds\n        authorKind\n        location {\n          lon\n          lat\n        }\n        category {\n          id\n          slug\n          label\n        }\n        assignee {\n          id\n          displayName\n        }\n      }\n    }\n  }\n': typeof types.ConsoleAlertsDocument;
  '\n  query ConsoleContext {\n    alertCategories {\n      id\n      slug\n      label\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n  }\n': typeof types.ConsoleContextDocument;
  '\n  subscription ConsoleAlertRaised {\n    alertRaised {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      targetKind\n      targetSectorIds\n      authorKind\n      location {\n        lon\n        lat\n      }\n      category {\n        id\n        slug\n        label\n      }\n    }\n  }\n': typeof types.ConsoleAlertRaisedDocument;
  '\n  subscription ConsoleAlertStatus {\n    alertStatusChanged {\n      id\n      status\n      closure\n      acknowledgedAt\n    }\n  }\n': typeof types.ConsoleAlertStatusDocument;
  '\n  mutation ConsoleRegisterAtCounter($input: CounterRegistrationInput!) {\n    registerResidentAtCounter(input: $input) {\n      accountId\n      displayName\n      addressLabel\n      sectorName\n      smsTo\n      voiceTo\n      urgentChannels\n      invitationSent\n    }\n  }\n': typeof types.ConsoleRegisterAtCounterDocument;
  '\n  query DeliveryReportSummary($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      createdAt\n      category {\n        label\n      }\n    }\n    alertDeliveryReport(alertId: $id, limit: 1) {\n      summary {\n        recipients\n        total\n        byStatus {\n          status\n          count\n        }\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n    }\n  }\n': typeof types.DeliveryReportSummaryDocument;
  '\n  query DeliveryReportRows(\n    $id: ID!\n    $status: DeliveryStatus\n    $channel: NotificationChannel\n    $after: String\n    $limit: Int!\n  ) {\n    alertDeliveryReport(alertId: $id, status: $status, channel: $channel, after: $after, limit: $limit) {\n      nextCursor\n      items {\n        id\n        recipientName\n        accountId\n        purpose\n        channel\n        status\n        reason\n        attempts\n        device\n        queuedAt\n        sentAt\n        deliveredAt\n        failedAt\n        notBefore\n      }\n    }\n  }\n': typeof types.DeliveryReportRowsDocument;
  '\n  query ConsoleOnDuty {\n    policeOnDuty {\n      accountId\n      displayName\n      since\n    }\n  }\n': typeof types.ConsoleOnDutyDocument;
  '\n  query ConsoleOnDutyAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n': typeof types.ConsoleOnDutyAgentsDocument;
  '\n  mutation ConsoleSetOnDuty($accountId: ID) {\n    setPoliceOnDuty(accountId: $accountId) {\n      accountId\n      displayName\n      since\n    }\n  }\n': typeof types.ConsoleSetOnDutyDocument;
  '\n  query ConsoleStatistics($year: Int!) {\n    consoleStatistics(year: $year) {\n      year\n      htmlUrl\n      csvUrl\n      pdfUrl\n      sections {\n        id\n        label\n        labelEn\n        figures {\n          key\n          label\n          labelEn\n          value\n          display\n          measure\n          monthly {\n            value\n            display\n          }\n        }\n      }\n    }\n  }\n': typeof types.ConsoleStatisticsDocument;
  '\n  query SolCcasPlan {\n    solPlan {\n      id\n      kind\n      prefectureLevel\n      startedAt\n      day\n      counts {\n        pending\n        answered\n        notAnswered\n        visited\n      }\n      contacts {\n        id\n        personId\n        firstName\n        lastName\n        channel\n        phone\n        addressLabel\n        status\n      }\n    }\n    solActivations {\n      id\n      kind\n      startedAt\n      endedAt\n      closed\n      summary {\n        answered\n        notAnswered\n        visited\n      }\n    }\n  }\n': typeof types.SolCcasPlanDocument;
  '\n  query SolCcasRegister {\n    solRegister {\n      id\n      firstName\n      lastName\n      addressLabel\n      contactMethod\n      phone\n      intervalDays\n      lastSignAt\n      escalation\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n': typeof types.SolCcasRegisterDocument;
  '\n  mutation SolActivate($kind: SolPlanKind!, $level: String) {\n    solActivatePlan(kind: $kind, prefectureLevel: $level) {\n      id\n    }\n  }\n': typeof types.SolActivateDocument;
  '\n  mutation SolDeactivate {\n    solDeactivatePlan {\n      id\n    }\n  }\n': typeof types.SolDeactivateDocument;
  '\n  mutation SolCcasNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n': typeof types.SolCcasNewsDocument;
  '\n  query SolCcasPerson($id: ID!) {\n    solPerson(id: $id) {\n      id\n      firstName\n      lastName\n      addressLabel\n      communityId\n      contactMethod\n      phone\n      intervalDays\n      escalatePolice\n      visibility\n      consentBy\n      consentName\n      consentAt\n      lastSignAt\n      nextSignDueAt\n      escalation\n      healthNotes\n      hasHealthNotes\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n': typeof types.SolCcasPersonDocument;
  '\n  query SolCcasVolunteers {\n    solVolunteers {\n      id\n      displayName\n      availability\n      communityId\n      communityName\n      pairedCount\n    }\n  }\n': typeof types.SolCcasVolunteersDocument;
  '\n  mutation SolPair($personId: ID!, $volunteerId: ID!) {\n    solPair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n': typeof types.SolPairDocument;
  '\n  mutation SolUnpair($personId: ID!, $volunteerId: ID!) {\n    solUnpair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n': typeof types.SolUnpairDocument;
  '\n  mutation SolUpdate($id: ID!, $input: SolPersonUpdate!) {\n    solUpdatePerson(id: $id, input: $input) {\n      id\n    }\n  }\n': typeof types.SolUpdateDocument;
  '\n  mutation SolCcasWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n': typeof types.SolCcasWithdrawDocument;
  '\n  mutation SolRegister($input: SolPersonInput!) {\n    solRegisterPerson(input: $input) {\n      id\n    }\n  }\n': typeof types.SolRegisterDocument;
  '\n  query SolHomeSummary {\n    solRegister {\n      id\n      escalation\n    }\n    solPlan {\n      id\n      kind\n    }\n  }\n': typeof types.SolHomeSummaryDocument;
  '\n  query SolMine {\n    solMyEntries {\n      id\n      firstName\n      lastName\n      forSelf\n      intervalDays\n      lastSignAt\n      roundContactId\n    }\n    solMyVolunteering {\n      volunteer\n      availability\n      people {\n        id\n        firstName\n        contactMethod\n        contact\n        lastSignAt\n        nextSignDueAt\n        escalation\n        roundContactId\n      }\n    }\n  }\n': typeof types.SolMineDocument;
  '\n  mutation SolImFine {\n    solImFine {\n      lastSignAt\n    }\n  }\n': typeof types.SolImFineDocument;
  '\n  mutation SolWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n': typeof types.SolWithdrawDocument;
  '\n  mutation SolOffer($availability: String) {\n    solOfferToVolunteer(availability: $availability) {\n      volunteer\n    }\n  }\n': typeof types.SolOfferDocument;
  '\n  mutation SolStepBack {\n    solStepBack\n  }\n': typeof types.SolStepBackDocument;
  '\n  mutation SolNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n': typeof types.SolNewsDocument;
  '\n  mutation SolRecordContact($contactId: ID!, $outcome: SolOutcome!) {\n    solRecordContact(contactId: $contactId, outcome: $outcome) {\n      id\n      status\n    }\n  }\n': typeof types.SolRecordContactDocument;
  '\n  query TvPatrol($date: String) {\n    tvPatrol(date: $date) {\n      date\n      stops {\n        order\n        suggestedTime\n        visitedToday\n        absence {\n          id\n          addressLabel\n          doorCode\n          details {\n            dwelling\n            floor\n            contactName\n            contactPhone\n            alarmCompany\n          }\n        }\n      }\n    }\n  }\n': typeof types.TvPatrolDocument;
  '\n  mutation TvLogVisit($absenceId: ID!, $outcome: TvVisitOutcome!, $note: String) {\n    logVisit(absenceId: $absenceId, outcome: $outcome, note: $note) {\n      id\n      visitedAt\n      outcome\n    }\n  }\n': typeof types.TvLogVisitDocument;
  '\n  query TvConsole {\n    tvAnomalies {\n      visit {\n        id\n        visitedAt\n        outcome\n        note\n        contactCall\n      }\n      absence {\n        id\n        addressLabel\n      }\n    }\n    tvAbsences {\n      id\n      status\n      addressLabel\n      departsAt\n      returnsAt\n      lastVisitAt\n      residentName\n      declaredAtCounter\n    }\n  }\n': typeof types.TvConsoleDocument;
  '\n  mutation TvValidate($id: ID!) {\n    validateAbsence(id: $id) {\n      id\n      status\n    }\n  }\n': typeof types.TvValidateDocument;
  '\n  mutation TvRefuse($id: ID!, $reason: String!) {\n    refuseAbsence(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n': typeof types.TvRefuseDocument;
  '\n  query TvAbsence($id: ID!) {\n    tvAbsence(id: $id) {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      residentName\n      doorCode\n      keyHolders\n      details {\n        awayPhone\n        awayAddress\n        contactName\n        contactPhone\n        alarm\n        alarmCompany\n        presenceSimulation\n        dwelling\n        floor\n        vehicles\n        pets\n        notes\n        businessName\n        businessActivity\n        businessPhone\n      }\n      visits {\n        id\n        visitedAt\n        outcome\n        note\n      }\n    }\n  }\n': typeof types.TvAbsenceDocument;
  '\n  query TvMyAbsences {\n    myAbsences {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      refusalReason\n      earlyReturn\n      visits {\n        id\n        visitedAt\n        outcome\n      }\n    }\n  }\n': typeof types.TvMyAbsencesDocument;
  '\n  mutation TvChangeReturn($id: ID!, $returnsAt: String!) {\n    changeAbsenceDates(id: $id, returnsAt: $returnsAt) {\n      id\n      returnsAt\n    }\n  }\n': typeof types.TvChangeReturnDocument;
  '\n  mutation TvEarlyReturn($id: ID!) {\n    declareEarlyReturn(id: $id) {\n      id\n      status\n      returnsAt\n      earlyReturn\n    }\n  }\n': typeof types.TvEarlyReturnDocument;
  '\n  mutation TvCancel($id: ID!) {\n    cancelAbsence(id: $id) {\n      id\n      status\n    }\n  }\n': typeof types.TvCancelDocument;
  '\n  query TvRules {\n    tvRules {\n      minNoticeDays\n      earliestDays\n      maxAbsenceDays\n      secondaryHomes\n    }\n  }\n': typeof types.TvRulesDocument;
  '\n  query TvFindResident($email: String!) {\n    tvResident(email: $email) {\n      accountId\n      displayName\n      addressLabel\n    }\n  }\n': typeof types.TvFindResidentDocument;
  '\n  mutation TvDeclare($input: TvAbsenceInput!, $for: ID) {\n    declareAbsence(input: $input, forAccountId: $for) {\n      id\n      status\n    }\n  }\n': typeof types.TvDeclareDocument;
  '\n  query NeighbourAlertForm($locale: NeighbourAlertLocale) {\n    neighbourAlertForm(locale: $locale) {\n      title\n      warning\n      alertsPerHour\n      alertsLeftThisHour\n      mergeWindowMinutes\n      policeEmergencyNumber\n      europeanEmergencyNumber\n      policeMunicipale {\n        label\n        phone\n        hours\n      }\n      categories {\n        id\n        slug\n        label\n        defaultSeverity\n      }\n      photo {\n        maxBytes\n        acceptedTypes\n        uploadUrl\n        help\n      }\n    }\n  }\n': typeof types.NeighbourAlertFormDocument;
  '\n  mutation RaiseNeighbourAlert($input: NeighbourAlertInput!) {\n    raiseNeighbourAlert(input: $input) {\n      merged\n      alert {\n        id\n        ref\n        status\n        severity\n      }\n    }\n  }\n': typeof types.RaiseNeighbourAlertDocument;
  '\n  query MyAlerts {\n    myAlerts(limit: 50) {\n      items {\n        id\n        ref\n        text\n        status\n        severity\n        createdAt\n        category {\n          label\n        }\n        history {\n          status\n          at\n          note\n          closure\n        }\n        reactions {\n          seenToo\n          canHelp\n        }\n      }\n    }\n  }\n': typeof types.MyAlertsDocument;
  '\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      severity\n      createdAt\n      mine\n      authorName\n      photoUrl\n      followsAlertId\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      reactions {\n        seenToo\n        canHelp\n        mine\n        neighbours {\n          kind\n          neighbour {\n            displayName\n          }\n        }\n      }\n    }\n  }\n': typeof types.AlertDetailDocument;
  '\n  mutation ReactToNeighbourAlert($alertId: ID!, $kind: NeighbourReactionKind!) {\n    reactToNeighbourAlert(alertId: $alertId, kind: $kind) {\n      id\n      reactions {\n        seenToo\n        canHelp\n        mine\n      }\n    }\n  }\n': typeof types.ReactToNeighbourAlertDocument;
  '\n  subscription MyAlertStatusChanged {\n    alertStatusChanged {\n      id\n      status\n    }\n  }\n': typeof types.MyAlertStatusChangedDocument;
  '\n  subscription LiveNotifications {\n    inAppNotification {\n      id\n      kind\n      link\n    }\n  }\n': typeof types.LiveNotificationsDocument;
  '\n  query LiveFeedItem($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      severity\n      status\n      createdAt\n      category {\n        label\n      }\n    }\n  }\n': typeof types.LiveFeedItemDocument;
  '\n  query BoundarySector($id: ID!) {\n    sector(id: $id) {\n      id\n      name\n      geometry\n      bbox\n      areaM2\n      addressCount\n    }\n  }\n': typeof types.BoundarySectorDocument;
  '\n  query BoundaryNeighbours {\n    sectors {\n      id\n      name\n      geometry\n    }\n  }\n': typeof types.BoundaryNeighboursDocument;
  '\n  mutation RedrawBoundary($communityId: ID!, $geometry: String!, $confirmOverlap: Boolean) {\n    redrawCommunityBoundary(communityId: $communityId, geometry: $geometry, confirmOverlap: $confirmOverlap) {\n      areaM2\n      movedAddresses\n      community {\n        id\n        name\n      }\n      overlaps {\n        id\n        name\n      }\n    }\n  }\n': typeof types.RedrawBoundaryDocument;
  '\n  query MyCommunityPage {\n    myMembership {\n      status\n      request {\n        id\n        status\n        createdAt\n      }\n      exclusion {\n        id\n        reason\n      }\n    }\n    myCommunity {\n      id\n      name\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n      referents {\n        id\n        displayName\n      }\n      latestAlerts(limit: 10) {\n        id\n        ref\n        text\n        severity\n        status\n        createdAt\n        seenToo\n        canHelp\n        category {\n          label\n        }\n      }\n      latestThreads(limit: 5) {\n        id\n        title\n        categoryLabel\n        commentCount\n        lastActivityAt\n      }\n      upcomingEvents(limit: 3) {\n        id\n        title\n        startsAt\n        place\n      }\n    }\n    communityCharter {\n      version\n      text\n      accepted\n      acceptedAt\n    }\n  }\n': typeof types.MyCommunityPageDocument;
  '\n  mutation AcceptCharter($version: String!) {\n    acceptCharter(version: $version) {\n      accepted\n      acceptedAt\n    }\n  }\n': typeof types.AcceptCharterDocument;
  '\n  query Conversations {\n    conversations {\n      unread\n      neighbour {\n        id\n        displayName\n      }\n      lastMessage {\n        body\n        createdAt\n        mine\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 100) {\n        id\n        displayName\n      }\n    }\n    me {\n      id\n    }\n  }\n': typeof types.ConversationsDocument;
  '\n  query MessagesWith($neighbourId: ID!) {\n    messagesWith(neighbourId: $neighbourId, limit: 100) {\n      id\n      body\n      createdAt\n      mine\n      author {\n        displayName\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 200) {\n        id\n        displayName\n      }\n    }\n  }\n': typeof types.MessagesWithDocument;
  '\n  mutation SendPrivateMessage($recipientId: ID!, $body: String!) {\n    sendPrivateMessage(recipientId: $recipientId, body: $body) {\n      id\n    }\n  }\n': typeof types.SendPrivateMessageDocument;
  '\n  mutation MarkConversationRead($neighbourId: ID!) {\n    markConversationRead(neighbourId: $neighbourId)\n  }\n': typeof types.MarkConversationReadDocument;
  '\n  query Threads {\n    threads(limit: 30) {\n      id\n      title\n      categoryLabel\n      commentCount\n      lastActivityAt\n      author {\n        displayName\n      }\n    }\n    discussionCategories {\n      value\n      label\n    }\n  }\n': typeof types.ThreadsDocument;
  '\n  query Thread($id: ID!) {\n    thread(id: $id) {\n      id\n      title\n      body\n      categoryLabel\n      createdAt\n      author {\n        id\n        displayName\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          id\n          displayName\n        }\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n': typeof types.ThreadDocument;
  '\n  mutation CreateThread($input: ThreadInput!) {\n    createThread(input: $input) {\n      id\n    }\n  }\n': typeof types.CreateThreadDocument;
  '\n  mutation AddComment($threadId: ID!, $body: String!) {\n    addComment(threadId: $threadId, body: $body) {\n      id\n    }\n  }\n': typeof types.AddCommentDocument;
  '\n  mutation ReportContent($input: ReportInput!) {\n    reportContent(input: $input) {\n      id\n    }\n  }\n': typeof types.ReportContentDocument;
  '\n  query CommunityEvents {\n    communityEvents(limit: 20) {\n      id\n      title\n      description\n      place\n      startsAt\n      endsAt\n      kindLabel\n      cancelled\n      cancelReason\n      myRsvp\n      organiser {\n        displayName\n      }\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n': typeof types.CommunityEventsDocument;
  '\n  mutation RsvpEvent($eventId: ID!, $answer: RsvpAnswer!) {\n    rsvpEvent(eventId: $eventId, answer: $answer) {\n      id\n      myRsvp\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n': typeof types.RsvpEventDocument;
  '\n  query GovernanceCommunities {\n    communities {\n      id\n      name\n    }\n  }\n': typeof types.GovernanceCommunitiesDocument;
  '\n  query GovernanceCommunity($id: ID!) {\n    community(id: $id) {\n      id\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n    }\n    referentRound(communityId: $id) {\n      phase\n      seatsLeft\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n': typeof types.GovernanceCommunityDocument;
  '\n  query GovernanceRound($id: ID!) {\n    referentRound(communityId: $id) {\n      roundId\n      phase\n      reason\n      seatsLeft\n      collectUntil\n      community {\n        id\n        name\n      }\n      candidates {\n        id\n        displayName\n      }\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n': typeof types.GovernanceRoundDocument;
  '\n  mutation GovernanceOpenRound($id: ID!) {\n    openReferentRound(communityId: $id) {\n      phase\n    }\n  }\n': typeof types.GovernanceOpenRoundDocument;
  '\n  mutation GovernanceChoose($id: ID!, $accountIds: [ID!]!) {\n    chooseReferents(communityId: $id, accountIds: $accountIds) {\n      phase\n    }\n  }\n': typeof types.GovernanceChooseDocument;
  '\n  query GovernanceUnassigned {\n    unassignedAddresses(limit: 20) {\n      total\n      addresses {\n        id\n        label\n      }\n    }\n  }\n': typeof types.GovernanceUnassignedDocument;
  '\n  query GovernanceAppeals {\n    exclusionAppeals(status: "pending") {\n      id\n      statement\n      createdAt\n      exclusion {\n        reason\n        community {\n          name\n        }\n        member {\n          displayName\n        }\n      }\n    }\n  }\n': typeof types.GovernanceAppealsDocument;
  '\n  mutation GovernanceDecide($id: ID!, $decision: AppealDecision!, $reason: String!) {\n    decideExclusionAppeal(appealId: $id, decision: $decision, reason: $reason) {\n      id\n      status\n    }\n  }\n': typeof types.GovernanceDecideDocument;
  '\n  query GovernanceModerationLog {\n    moderationLog(limit: 20) {\n      id\n      action\n      at\n      reason\n      contentType\n      community {\n        name\n      }\n      actor {\n        displayName\n      }\n    }\n  }\n': typeof types.GovernanceModerationLogDocument;
  '\n  query MyReferentCommunities {\n    myReferentCommunities {\n      id\n      name\n    }\n  }\n': typeof types.MyReferentCommunitiesDocument;
  '\n  query ReferentDesk($communityId: ID!) {\n    membershipRequests(communityId: $communityId) {\n      id\n      createdAt\n      message\n      addressLabel\n      status\n      requester {\n        id\n        displayName\n      }\n    }\n    verificationQueue {\n      residenceId\n      residentDisplayName\n      addressLabel\n      sectorName\n      submittedAt\n      isMove\n      escalated\n      proof {\n        mime\n        sizeBytes\n      }\n    }\n    rejectionReasons {\n      code\n      label\n      labelEn\n    }\n    communitySupportRequests(communityId: $communityId, status: "open") {\n      id\n      subject\n      status\n      createdAt\n      author {\n        displayName\n      }\n      messages {\n        id\n        body\n        createdAt\n        fromReferent\n      }\n    }\n    moderationQueue(communityId: $communityId) {\n      contentId\n      contentType\n      excerpt\n      reportCount\n      reasons\n      firstReportedAt\n      author {\n        displayName\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n': typeof types.ReferentDeskDocument;
  '\n  mutation ApproveMembership($id: ID!) {\n    approveMembershipRequest(id: $id) {\n      id\n      status\n    }\n  }\n': typeof types.ApproveMembershipDocument;
  '\n  mutation RefuseMembership($id: ID!, $reason: String!) {\n    refuseMembershipRequest(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n': typeof types.RefuseMembershipDocument;
  '\n  mutation ProofLink($residenceId: ID!) {\n    proofLink(residenceId: $residenceId) {\n      url\n      expiresAt\n    }\n  }\n': typeof types.ProofLinkDocument;
  '\n  mutation DecideVerification(\n    $residenceId: ID!\n    $decision: VerificationDecision!\n    $reason: String\n    $comment: String\n  ) {\n    decideVerification(residenceId: $residenceId, decision: $decision, reason: $reason, comment: $comment) {\n      id\n      status\n    }\n  }\n': typeof types.DecideVerificationDocument;
  '\n  mutation ReplySupport($id: ID!, $body: String!) {\n    replyToSupportRequest(id: $id, body: $body) {\n      id\n      status\n    }\n  }\n': typeof types.ReplySupportDocument;
  '\n  mutation HideContent($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    hideContent(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n': typeof types.HideContentDocument;
  '\n  mutation DismissReports($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    dismissReports(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n': typeof types.DismissReportsDocument;
};
const documents: Documents = {
  '\n  query DevOutbox($recipient: String) {\n    devOutbox(recipient: $recipient, limit: 5) {\n      id\n      channel\n      recipient\n      subject\n      body\n      createdAt\n    }\n  }\n':
    types.DevOutboxDocument,
  '\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      csrfToken\n      secondFactorRequired\n      me {\n        secondFactor\n        roles {\n          role\n        }\n      }\n    }\n  }\n':
    types.LoginDocument,
  '\n  mutation VerifyTotp($code: String!) {\n    verifyTotp(code: $code)\n  }\n': types.VerifyTotpDocument,
  '\n  mutation ExportMyData {\n    exportMyData {\n      json\n      html\n    }\n  }\n':
    types.ExportMyDataDocument,
  '\n  mutation DeleteMyAccount($password: String!) {\n    deleteMyAccount(password: $password)\n  }\n':
    types.DeleteMyAccountDocument,
  '\n  query MyNotifications {\n    myNotifications(limit: 50) {\n      id\n      kind\n      title\n      body\n      link\n      createdAt\n      readAt\n    }\n    myUnreadNotificationCount\n  }\n':
    types.MyNotificationsDocument,
  '\n  mutation MarkNotificationsRead($ids: [ID!]) {\n    markNotificationsRead(ids: $ids)\n  }\n':
    types.MarkNotificationsReadDocument,
  '\n  subscription LiveNotification {\n    inAppNotification {\n      id\n      title\n    }\n  }\n':
    types.LiveNotificationDocument,
  '\n  query MyPreferences {\n    myNotificationPreferences {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n':
    types.MyPreferencesDocument,
  '\n  mutation UpdatePreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n':
    types.UpdatePreferencesDocument,
  '\n  query PushSetup {\n    vapidPublicKey\n    myPushSubscriptions {\n      id\n      endpoint\n      label\n      createdAt\n    }\n  }\n':
    types.PushSetupDocument,
  '\n  mutation SubscribePush($input: PushSubscriptionInput!) {\n    subscribePush(input: $input) {\n      id\n    }\n  }\n':
    types.SubscribePushDocument,
  '\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n':
    types.UnsubscribePushDocument,
  '\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      csrfToken\n    }\n  }\n':
    types.RegisterDocument,
  '\n  query MyResidence {\n    myResidence {\n      id\n      status\n      addressLabel\n      sectorName\n      submittedAt\n      decidedAt\n      decisionReasonLabel\n      decisionComment\n      escalated\n    }\n    myReferentCandidacy {\n      wanted\n      status\n      community {\n        id\n        name\n      }\n    }\n  }\n':
    types.MyResidenceDocument,
  '\n  query SearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n      postcode\n      city\n    }\n  }\n':
    types.SearchAddressesDocument,
  '\n  mutation WithdrawVerification {\n    withdrawVerification {\n      id\n      status\n    }\n  }\n':
    types.WithdrawVerificationDocument,
  '\n  mutation SetReferentCandidacy($wanted: Boolean!) {\n    setReferentCandidacy(wanted: $wanted) {\n      wanted\n      status\n    }\n  }\n':
    types.SetReferentCandidacyDocument,
  '\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password)\n  }\n':
    types.ResetPasswordDocument,
  '\n  mutation SetupTotp {\n    setupTotp {\n      secret\n      otpauthUri\n    }\n  }\n':
    types.SetupTotpDocument,
  '\n  mutation EnableTotp($code: String!) {\n    enableTotp(code: $code)\n  }\n': types.EnableTotpDocument,
  '\n  mutation IssueTotpRecoveryCodes {\n    issueTotpRecoveryCodes\n  }\n':
    types.IssueTotpRecoveryCodesDocument,
  '\n  mutation SendPhoneCode {\n    sendPhoneCode\n  }\n': types.SendPhoneCodeDocument,
  '\n  mutation VerifyPhone($code: String!) {\n    verifyPhone(code: $code)\n  }\n':
    types.VerifyPhoneDocument,
  '\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n':
    types.ResendEmailVerificationDocument,
  '\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n':
    types.VerifyEmailDocument,
  '\n  query ShellSearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n    }\n  }\n':
    types.ShellSearchAddressesDocument,
  '\n  mutation SetMyLocale($locale: Locale!) {\n    setMyLocale(locale: $locale) {\n      id\n      locale\n    }\n  }\n':
    types.SetMyLocaleDocument,
  '\n  query Unread {\n    myUnreadNotificationCount\n  }\n': types.UnreadDocument,
  '\n  subscription NotificationArrived {\n    inAppNotification {\n      id\n    }\n  }\n':
    types.NotificationArrivedDocument,
  '\n  query Session {\n    tenant {\n      slug\n      name\n      status\n      enabledPlugins\n      basemap\n      branding {\n        displayName\n        primaryColor\n        secondaryColor\n        logoUrl\n      }\n    }\n    me {\n      id\n      displayName\n      email\n      emailVerified\n      phone\n      phoneVerified\n      locale\n      permissionsAnyScope\n      csrfToken\n      secondFactor\n      roles {\n        role\n        scopeId\n      }\n    }\n  }\n':
    types.SessionDocument,
  '\n  mutation Logout {\n    logout\n  }\n': types.LogoutDocument,
  '\n  query ConsoleAlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      closedAt\n      authorName\n      authorKind\n      photoUrl\n      targetKind\n      targetSectorIds\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      assignee {\n        id\n        displayName\n      }\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n      deliverySummary {\n        recipients\n        total\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n      canFollowUp\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n':
    types.ConsoleAlertDetailDocument,
  '\n  query ConsoleAlertNeighbours($id: ID!) {\n    alert(id: $id) {\n      id\n      reactions {\n        seenToo\n        canHelp\n      }\n      neighbourReport {\n        what\n        place\n        seenAt\n        vehicle\n        plate\n        called17\n        mergedReports\n      }\n    }\n  }\n':
    types.ConsoleAlertNeighboursDocument,
  '\n  query ConsoleAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n':
    types.ConsoleAgentsDocument,
  '\n  mutation ConsoleAcknowledge($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n':
    types.ConsoleAcknowledgeDocument,
  '\n  mutation ConsoleSetStatus($id: ID!, $status: AlertStatus!, $closure: AlertClosure, $note: String) {\n    setAlertStatus(id: $id, status: $status, closure: $closure, note: $note) {\n      id\n      status\n      closure\n      closedAt\n    }\n  }\n':
    types.ConsoleSetStatusDocument,
  '\n  mutation ConsoleFollowUp($alertId: ID!, $text: String!) {\n    addAlertFollowUp(alertId: $alertId, text: $text) {\n      id\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n':
    types.ConsoleFollowUpDocument,
  '\n  mutation ConsoleEndAlert($alertId: ID!, $text: String!, $closure: AlertClosure) {\n    endAlert(alertId: $alertId, text: $text, closure: $closure) {\n      id\n      status\n      closure\n      closedAt\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n':
    types.ConsoleEndAlertDocument,
  '\n  mutation ConsoleAssign($alertId: ID!, $agentId: ID!) {\n    assignAlert(alertId: $alertId, agentId: $agentId) {\n      id\n      assignee {\n        id\n        displayName\n      }\n    }\n  }\n':
    types.ConsoleAssignDocument,
  '\n  mutation ConsoleNote($alertId: ID!, $text: String!) {\n    addAlertNote(alertId: $alertId, text: $text) {\n      id\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n    }\n  }\n':
    types.ConsoleNoteDocument,
  '\n  query ComposeContext {\n    alertCategories {\n      id\n      slug\n      label\n      defaultSeverity\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n    alertTemplates {\n      category\n      text\n    }\n  }\n':
    types.ComposeContextDocument,
  '\n  mutation SaveAlertTemplate($category: String!, $text: String!) {\n    saveAlertTemplate(category: $category, text: $text) {\n      category\n      text\n    }\n  }\n':
    types.SaveAlertTemplateDocument,
  '\n  query AlertPreview($input: RaiseAlertInput!) {\n    alertPreview(input: $input) {\n      recipients\n      households\n      byChannel {\n        channel\n        now\n        held\n        skipped\n      }\n      sms {\n        typedEncoding\n        ucs2Characters\n        suggestion\n        encoding\n        segmentsPerMessage\n        messages\n        segments\n        budget\n        segmentsUsedThisMonth\n        segmentsLeft\n        text\n      }\n      cost {\n        pricePerSegment\n        total\n        budgetLeft\n      }\n    }\n  }\n':
    types.AlertPreviewDocument,
  '\n  mutation ConsoleRaiseAlert($input: RaiseAlertInput!) {\n    raiseAlert(input: $input) {\n      id\n      ref\n    }\n  }\n':
    types.ConsoleRaiseAlertDocument,
  '\n  query ConsoleAlerts($filter: AlertFilter) {\n    alerts(filter: $filter, limit: 100) {\n      items {\n        id\n        ref\n        text\n        status\n        closure\n        severity\n        createdAt\n        acknowledgedAt\n        targetKind\n        targetSectorIds\n        authorKind\n        location {\n          lon\n          lat\n        }\n        category {\n          id\n          slug\n          label\n        }\n        assignee {\n          id\n          displayName\n        }\n      }\n    }\n  }\n':
    types.ConsoleAlertsDocument,
  '\n  query ConsoleContext {\n    alertCategories {\n      id\n      slug\n      label\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n  }\n':
    types.ConsoleContextDocument,
  '\n  subscription ConsoleAlertRaised {\n    alertRaised {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      targetKind\n      targetSectorIds\n      authorKind\n      location {\n        lon\n        lat\n      }\n      category {\n        id\n        slug\n        label\n      }\n    }\n  }\n':
    types.ConsoleAlertRaisedDocument,
  '\n  subscription ConsoleAlertStatus {\n    alertStatusChanged {\n      id\n      status\n      closure\n      acknowledgedAt\n    }\n  }\n':
    types.ConsoleAlertStatusDocument,
  '\n  mutation ConsoleRegisterAtCounter($input: CounterRegistrationInput!) {\n    registerResidentAtCounter(input: $input) {\n      accountId\n      displayName\n      addressLabel\n      sectorName\n      smsTo\n      voiceTo\n      urgentChannels\n      invitationSent\n    }\n  }\n':
    types.ConsoleRegisterAtCounterDocument,
  '\n  query DeliveryReportSummary($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      createdAt\n      category {\n        label\n      }\n    }\n    alertDeliveryReport(alertId: $id, limit: 1) {\n      summary {\n        recipients\n        total\n        byStatus {\n          status\n          count\n        }\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n    }\n  }\n':
    types.DeliveryReportSummaryDocument,
  '\n  query DeliveryReportRows(\n    $id: ID!\n    $status: DeliveryStatus\n    $channel: NotificationChannel\n    $after: String\n    $limit: Int!\n  ) {\n    alertDeliveryReport(alertId: $id, status: $status, channel: $channel, after: $after, limit: $limit) {\n      nextCursor\n      items {\n        id\n        recipientName\n        accountId\n        purpose\n        channel\n        status\n        reason\n        attempts\n        device\n        queuedAt\n        sentAt\n        deliveredAt\n        failedAt\n        notBefore\n      }\n    }\n  }\n':
    types.DeliveryReportRowsDocument,
  '\n  query ConsoleOnDuty {\n    policeOnDuty {\n      accountId\n      displayName\n      since\n    }\n  }\n':
    types.ConsoleOnDutyDocument,
  '\n  query ConsoleOnDutyAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n':
    types.ConsoleOnDutyAgentsDocument,
  '\n  mutation ConsoleSetOnDuty($accountId: ID) {\n    setPoliceOnDuty(accountId: $accountId) {\n      accountId\n      displayName\n      since\n    }\n  }\n':
    types.ConsoleSetOnDutyDocument,
  '\n  query ConsoleStatistics($year: Int!) {\n    consoleStatistics(year: $year) {\n      year\n      htmlUrl\n      csvUrl\n      pdfUrl\n      sections {\n        id\n        label\n        labelEn\n        figures {\n          key\n          label\n          labelEn\n          value\n          display\n          measure\n          monthly {\n            value\n            display\n          }\n        }\n      }\n    }\n  }\n':
    types.ConsoleStatisticsDocument,
  '\n  query SolCcasPlan {\n    solPlan {\n      id\n      kind\n      prefectureLevel\n      startedAt\n      day\n      counts {\n        pending\n        answered\n        notAnswered\n        visited\n      }\n      contacts {\n        id\n        personId\n        firstName\n        lastName\n        channel\n        phone\n        addressLabel\n        status\n      }\n    }\n    solActivations {\n      id\n      kind\n      startedAt\n      endedAt\n      closed\n      summary {\n        answered\n        notAnswered\n        visited\n      }\n    }\n  }\n':
    types.SolCcasPlanDocument,
  '\n  query SolCcasRegister {\n    solRegister {\n      id\n      firstName\n      lastName\n      addressLabel\n      contactMethod\n      phone\n      intervalDays\n      lastSignAt\n      escalation\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n':
    types.SolCcasRegisterDocument,
  '\n  mutation SolActivate($kind: SolPlanKind!, $level: String) {\n    solActivatePlan(kind: $kind, prefectureLevel: $level) {\n      id\n    }\n  }\n':
    types.SolActivateDocument,
  '\n  mutation SolDeactivate {\n    solDeactivatePlan {\n      id\n    }\n  }\n':
    types.SolDeactivateDocument,
  '\n  mutation SolCcasNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n':
    types.SolCcasNewsDocument,
  '\n  query SolCcasPerson($id: ID!) {\n    solPerson(id: $id) {\n      id\n      firstName\n      lastName\n      addressLabel\n      communityId\n      contactMethod\n      phone\n      intervalDays\n      escalatePolice\n      visibility\n      consentBy\n      consentName\n      consentAt\n      lastSignAt\n      nextSignDueAt\n      escalation\n      healthNotes\n      hasHealthNotes\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n':
    types.SolCcasPersonDocument,
  '\n  query SolCcasVolunteers {\n    solVolunteers {\n      id\n      displayName\n      availability\n      communityId\n      communityName\n      pairedCount\n    }\n  }\n':
    types.SolCcasVolunteersDocument,
  '\n  mutation SolPair($personId: ID!, $volunteerId: ID!) {\n    solPair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n':
    types.SolPairDocument,
  '\n  mutation SolUnpair($personId: ID!, $volunteerId: ID!) {\n    solUnpair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n':
    types.SolUnpairDocument,
  '\n  mutation SolUpdate($id: ID!, $input: SolPersonUpdate!) {\n    solUpdatePerson(id: $id, input: $input) {\n      id\n    }\n  }\n':
    types.SolUpdateDocument,
  '\n  mutation SolCcasWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n':
    types.SolCcasWithdrawDocument,
  '\n  mutation SolRegister($input: SolPersonInput!) {\n    solRegisterPerson(input: $input) {\n      id\n    }\n  }\n':
    types.SolRegisterDocument,
  '\n  query SolHomeSummary {\n    solRegister {\n      id\n      escalation\n    }\n    solPlan {\n      id\n      kind\n    }\n  }\n':
    types.SolHomeSummaryDocument,
  '\n  query SolMine {\n    solMyEntries {\n      id\n      firstName\n      lastName\n      forSelf\n      intervalDays\n      lastSignAt\n      roundContactId\n    }\n    solMyVolunteering {\n      volunteer\n      availability\n      people {\n        id\n        firstName\n        contactMethod\n        contact\n        lastSignAt\n        nextSignDueAt\n        escalation\n        roundContactId\n      }\n    }\n  }\n':
    types.SolMineDocument,
  '\n  mutation SolImFine {\n    solImFine {\n      lastSignAt\n    }\n  }\n': types.SolImFineDocument,
  '\n  mutation SolWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n': types.SolWithdrawDocument,
  '\n  mutation SolOffer($availability: String) {\n    solOfferToVolunteer(availability: $availability) {\n      volunteer\n    }\n  }\n':
    types.SolOfferDocument,
  '\n  mutation SolStepBack {\n    solStepBack\n  }\n': types.SolStepBackDocument,
  '\n  mutation SolNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n':
    types.SolNewsDocument,
  '\n  mutation SolRecordContact($contactId: ID!, $outcome: SolOutcome!) {\n    solRecordContact(contactId: $contactId, outcome: $outcome) {\n      id\n      status\n    }\n  }\n':
    types.SolRecordContactDocument,
  '\n  query TvPatrol($date: String) {\n    tvPatrol(date: $date) {\n      date\n      stops {\n        order\n        suggestedTime\n        visitedToday\n        absence {\n          id\n          addressLabel\n          doorCode\n          details {\n            dwelling\n            floor\n            contactName\n            contactPhone\n            alarmCompany\n          }\n        }\n      }\n    }\n  }\n':
    types.TvPatrolDocument,
  '\n  mutation TvLogVisit($absenceId: ID!, $outcome: TvVisitOutcome!, $note: String) {\n    logVisit(absenceId: $absenceId, outcome: $outcome, note: $note) {\n      id\n      visitedAt\n      outcome\n    }\n  }\n':
    types.TvLogVisitDocument,
  '\n  query TvConsole {\n    tvAnomalies {\n      visit {\n        id\n        visitedAt\n        outcome\n        note\n        contactCall\n      }\n      absence {\n        id\n        addressLabel\n      }\n    }\n    tvAbsences {\n      id\n      status\n      addressLabel\n      departsAt\n      returnsAt\n      lastVisitAt\n      residentName\n      declaredAtCounter\n    }\n  }\n':
    types.TvConsoleDocument,
  '\n  mutation TvValidate($id: ID!) {\n    validateAbsence(id: $id) {\n      id\n      status\n    }\n  }\n':
    types.TvValidateDocument,
  '\n  mutation TvRefuse($id: ID!, $reason: String!) {\n    refuseAbsence(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n':
    types.TvRefuseDocument,
  '\n  query TvAbsence($id: ID!) {\n    tvAbsence(id: $id) {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      residentName\n      doorCode\n      keyHolders\n      details {\n        awayPhone\n        awayAddress\n        contactName\n        contactPhone\n        alarm\n        alarmCompany\n        presenceSimulation\n        dwelling\n        floor\n        vehicles\n        pets\n        notes\n        businessName\n        businessActivity\n        businessPhone\n      }\n      visits {\n        id\n        visitedAt\n        outcome\n        note\n      }\n    }\n  }\n':
    types.TvAbsenceDocument,
  '\n  query TvMyAbsences {\n    myAbsences {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      refusalReason\n      earlyReturn\n      visits {\n        id\n        visitedAt\n        outcome\n      }\n    }\n  }\n':
    types.TvMyAbsencesDocument,
  '\n  mutation TvChangeReturn($id: ID!, $returnsAt: String!) {\n    changeAbsenceDates(id: $id, returnsAt: $returnsAt) {\n      id\n      returnsAt\n    }\n  }\n':
    types.TvChangeReturnDocument,
  '\n  mutation TvEarlyReturn($id: ID!) {\n    declareEarlyReturn(id: $id) {\n      id\n      status\n      returnsAt\n      earlyReturn\n    }\n  }\n':
    types.TvEarlyReturnDocument,
  '\n  mutation TvCancel($id: ID!) {\n    cancelAbsence(id: $id) {\n      id\n      status\n    }\n  }\n':
    types.TvCancelDocument,
  '\n  query TvRules {\n    tvRules {\n      minNoticeDays\n      earliestDays\n      maxAbsenceDays\n      secondaryHomes\n    }\n  }\n':
    types.TvRulesDocument,
  '\n  query TvFindResident($email: String!) {\n    tvResident(email: $email) {\n      accountId\n      displayName\n      addressLabel\n    }\n  }\n':
    types.TvFindResidentDocument,
  '\n  mutation TvDeclare($input: TvAbsenceInput!, $for: ID) {\n    declareAbsence(input: $input, forAccountId: $for) {\n      id\n      status\n    }\n  }\n':
    types.TvDeclareDocument,
  '\n  query NeighbourAlertForm($locale: NeighbourAlertLocale) {\n    neighbourAlertForm(locale: $locale) {\n      title\n      warning\n      alertsPerHour\n      alertsLeftThisHour\n      mergeWindowMinutes\n      policeEmergencyNumber\n      europeanEmergencyNumber\n      policeMunicipale {\n        label\n        phone\n        hours\n      }\n      categories {\n        id\n        slug\n        label\n        defaultSeverity\n      }\n      photo {\n        maxBytes\n        acceptedTypes\n        uploadUrl\n        help\n      }\n    }\n  }\n':
    types.NeighbourAlertFormDocument,
  '\n  mutation RaiseNeighbourAlert($input: NeighbourAlertInput!) {\n    raiseNeighbourAlert(input: $input) {\n      merged\n      alert {\n        id\n        ref\n        status\n        severity\n      }\n    }\n  }\n':
    types.RaiseNeighbourAlertDocument,
  '\n  query MyAlerts {\n    myAlerts(limit: 50) {\n      items {\n        id\n        ref\n        text\n        status\n        severity\n        createdAt\n        category {\n          label\n        }\n        history {\n          status\n          at\n          note\n          closure\n        }\n        reactions {\n          seenToo\n          canHelp\n        }\n      }\n    }\n  }\n':
    types.MyAlertsDocument,
  '\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      severity\n      createdAt\n      mine\n      authorName\n      photoUrl\n      followsAlertId\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      reactions {\n        seenToo\n        canHelp\n        mine\n        neighbours {\n          kind\n          neighbour {\n            displayName\n          }\n        }\n      }\n    }\n  }\n':
    types.AlertDetailDocument,
  '\n  mutation ReactToNeighbourAlert($alertId: ID!, $kind: NeighbourReactionKind!) {\n    reactToNeighbourAlert(alertId: $alertId, kind: $kind) {\n      id\n      reactions {\n        seenToo\n        canHelp\n        mine\n      }\n    }\n  }\n':
    types.ReactToNeighbourAlertDocument,
  '\n  subscription MyAlertStatusChanged {\n    alertStatusChanged {\n      id\n      status\n    }\n  }\n':
    types.MyAlertStatusChangedDocument,
  '\n  subscription LiveNotifications {\n    inAppNotification {\n      id\n      kind\n      link\n    }\n  }\n':
    types.LiveNotificationsDocument,
  '\n  query LiveFeedItem($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      severity\n      status\n      createdAt\n      category {\n        label\n      }\n    }\n  }\n':
    types.LiveFeedItemDocument,
  '\n  query BoundarySector($id: ID!) {\n    sector(id: $id) {\n      id\n      name\n      geometry\n      bbox\n      areaM2\n      addressCount\n    }\n  }\n':
    types.BoundarySectorDocument,
  '\n  query BoundaryNeighbours {\n    sectors {\n      id\n      name\n      geometry\n    }\n  }\n':
    types.BoundaryNeighboursDocument,
  '\n  mutation RedrawBoundary($communityId: ID!, $geometry: String!, $confirmOverlap: Boolean) {\n    redrawCommunityBoundary(communityId: $communityId, geometry: $geometry, confirmOverlap: $confirmOverlap) {\n      areaM2\n      movedAddresses\n      community {\n        id\n        name\n      }\n      overlaps {\n        id\n        name\n      }\n    }\n  }\n':
    types.RedrawBoundaryDocument,
  '\n  query MyCommunityPage {\n    myMembership {\n      status\n      request {\n        id\n        status\n        createdAt\n      }\n      exclusion {\n        id\n        reason\n      }\n    }\n    myCommunity {\n      id\n      name\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n      referents {\n        id\n        displayName\n      }\n      latestAlerts(limit: 10) {\n        id\n        ref\n        text\n        severity\n        status\n        createdAt\n        seenToo\n        canHelp\n        category {\n          label\n        }\n      }\n      latestThreads(limit: 5) {\n        id\n        title\n        categoryLabel\n        commentCount\n        lastActivityAt\n      }\n      upcomingEvents(limit: 3) {\n        id\n        title\n        startsAt\n        place\n      }\n    }\n    communityCharter {\n      version\n      text\n      accepted\n      acceptedAt\n    }\n  }\n':
    types.MyCommunityPageDocument,
  '\n  mutation AcceptCharter($version: String!) {\n    acceptCharter(version: $version) {\n      accepted\n      acceptedAt\n    }\n  }\n':
    types.AcceptCharterDocument,
  '\n  query Conversations {\n    conversations {\n      unread\n      neighbour {\n        id\n        displayName\n      }\n      lastMessage {\n        body\n        createdAt\n        mine\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 100) {\n        id\n        displayName\n      }\n    }\n    me {\n      id\n    }\n  }\n':
    types.ConversationsDocument,
  '\n  query MessagesWith($neighbourId: ID!) {\n    messagesWith(neighbourId: $neighbourId, limit: 100) {\n      id\n      body\n      createdAt\n      mine\n      author {\n        displayName\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 200) {\n        id\n        displayName\n      }\n    }\n  }\n':
    types.MessagesWithDocument,
  '\n  mutation SendPrivateMessage($recipientId: ID!, $body: String!) {\n    sendPrivateMessage(recipientId: $recipientId, body: $body) {\n      id\n    }\n  }\n':
    types.SendPrivateMessageDocument,
  '\n  mutation MarkConversationRead($neighbourId: ID!) {\n    markConversationRead(neighbourId: $neighbourId)\n  }\n':
    types.MarkConversationReadDocument,
  '\n  query Threads {\n    threads(limit: 30) {\n      id\n      title\n      categoryLabel\n      commentCount\n      lastActivityAt\n      author {\n        displayName\n      }\n    }\n    discussionCategories {\n      value\n      label\n    }\n  }\n':
    types.ThreadsDocument,
  '\n  query Thread($id: ID!) {\n    thread(id: $id) {\n      id\n      title\n      body\n      categoryLabel\n      createdAt\n      author {\n        id\n        displayName\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          id\n          displayName\n        }\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n':
    types.ThreadDocument,
  '\n  mutation CreateThread($input: ThreadInput!) {\n    createThread(input: $input) {\n      id\n    }\n  }\n':
    types.CreateThreadDocument,
  '\n  mutation AddComment($threadId: ID!, $body: String!) {\n    addComment(threadId: $threadId, body: $body) {\n      id\n    }\n  }\n':
    types.AddCommentDocument,
  '\n  mutation ReportContent($input: ReportInput!) {\n    reportContent(input: $input) {\n      id\n    }\n  }\n':
    types.ReportContentDocument,
  '\n  query CommunityEvents {\n    communityEvents(limit: 20) {\n      id\n      title\n      description\n      place\n      startsAt\n      endsAt\n      kindLabel\n      cancelled\n      cancelReason\n      myRsvp\n      organiser {\n        displayName\n      }\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n':
    types.CommunityEventsDocument,
  '\n  mutation RsvpEvent($eventId: ID!, $answer: RsvpAnswer!) {\n    rsvpEvent(eventId: $eventId, answer: $answer) {\n      id\n      myRsvp\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n':
    types.RsvpEventDocument,
  '\n  query GovernanceCommunities {\n    communities {\n      id\n      name\n    }\n  }\n':
    types.GovernanceCommunitiesDocument,
  '\n  query GovernanceCommunity($id: ID!) {\n    community(id: $id) {\n      id\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n    }\n    referentRound(communityId: $id) {\n      phase\n      seatsLeft\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n':
    types.GovernanceCommunityDocument,
  '\n  query GovernanceRound($id: ID!) {\n    referentRound(communityId: $id) {\n      roundId\n      phase\n      reason\n      seatsLeft\n      collectUntil\n      community {\n        id\n        name\n      }\n      candidates {\n        id\n        displayName\n      }\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n':
    types.GovernanceRoundDocument,
  '\n  mutation GovernanceOpenRound($id: ID!) {\n    openReferentRound(communityId: $id) {\n      phase\n    }\n  }\n':
    types.GovernanceOpenRoundDocument,
  '\n  mutation GovernanceChoose($id: ID!, $accountIds: [ID!]!) {\n    chooseReferents(communityId: $id, accountIds: $accountIds) {\n      phase\n    }\n  }\n':
    types.GovernanceChooseDocument,
  '\n  query GovernanceUnassigned {\n    unassignedAddresses(limit: 20) {\n      total\n      addresses {\n        id\n        label\n      }\n    }\n  }\n':
    types.GovernanceUnassignedDocument,
  '\n  query GovernanceAppeals {\n    exclusionAppeals(status: "pending") {\n      id\n      statement\n      createdAt\n      exclusion {\n        reason\n        community {\n          name\n        }\n        member {\n          displayName\n        }\n      }\n    }\n  }\n':
    types.GovernanceAppealsDocument,
  '\n  mutation GovernanceDecide($id: ID!, $decision: AppealDecision!, $reason: String!) {\n    decideExclusionAppeal(appealId: $id, decision: $decision, reason: $reason) {\n      id\n      status\n    }\n  }\n':
    types.GovernanceDecideDocument,
  '\n  query GovernanceModerationLog {\n    moderationLog(limit: 20) {\n      id\n      action\n      at\n      reason\n      contentType\n      community {\n        name\n      }\n      actor {\n        displayName\n      }\n    }\n  }\n':
    types.GovernanceModerationLogDocument,
  '\n  query MyReferentCommunities {\n    myReferentCommunities {\n      id\n      name\n    }\n  }\n':
    types.MyReferentCommunitiesDocument,
  '\n  query ReferentDesk($communityId: ID!) {\n    membershipRequests(communityId: $communityId) {\n      id\n      createdAt\n      message\n      addressLabel\n      status\n      requester {\n        id\n        displayName\n      }\n    }\n    verificationQueue {\n      residenceId\n      residentDisplayName\n      addressLabel\n      sectorName\n      submittedAt\n      isMove\n      escalated\n      proof {\n        mime\n        sizeBytes\n      }\n    }\n    rejectionReasons {\n      code\n      label\n      labelEn\n    }\n    communitySupportRequests(communityId: $communityId, status: "open") {\n      id\n      subject\n      status\n      createdAt\n      author {\n        displayName\n      }\n      messages {\n        id\n        body\n        createdAt\n        fromReferent\n      }\n    }\n    moderationQueue(communityId: $communityId) {\n      contentId\n      contentType\n      excerpt\n      reportCount\n      reasons\n      firstReportedAt\n      author {\n        displayName\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n':
    types.ReferentDeskDocument,
  '\n  mutation ApproveMembership($id: ID!) {\n    approveMembershipRequest(id: $id) {\n      id\n      status\n    }\n  }\n':
    types.ApproveMembershipDocument,
  '\n  mutation RefuseMembership($id: ID!, $reason: String!) {\n    refuseMembershipRequest(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n':
    types.RefuseMembershipDocument,
  '\n  mutation ProofLink($residenceId: ID!) {\n    proofLink(residenceId: $residenceId) {\n      url\n      expiresAt\n    }\n  }\n':
    types.ProofLinkDocument,
  '\n  mutation DecideVerification(\n    $residenceId: ID!\n    $decision: VerificationDecision!\n    $reason: String\n    $comment: String\n  ) {\n    decideVerification(residenceId: $residenceId, decision: $decision, reason: $reason, comment: $comment) {\n      id\n      status\n    }\n  }\n':
    types.DecideVerificationDocument,
  '\n  mutation ReplySupport($id: ID!, $body: String!) {\n    replyToSupportRequest(id: $id, body: $body) {\n      id\n      status\n    }\n  }\n':
    types.ReplySupportDocument,
  '\n  mutation HideContent($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    hideContent(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n':
    types.HideContentDocument,
  '\n  mutation DismissReports($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    dismissReports(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n':
    types.DismissReportsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query DevOutbox($recipient: String) {\n    devOutbox(recipient: $recipient, limit: 5) {\n      id\n      channel\n      recipient\n      subject\n      body\n      createdAt\n    }\n  }\n',
): (typeof documents)['\n  query DevOutbox($recipient: String) {\n    devOutbox(recipient: $recipient, limit: 5) {\n      id\n      channel\n      recipient\n      subject\n      body\n      createdAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      csrfToken\n      secondFactorRequired\n      me {\n        secondFactor\n        roles {\n          role\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      csrfToken\n      secondFactorRequired\n      me {\n        secondFactor\n        roles {\n          role\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation VerifyTotp($code: String!) {\n    verifyTotp(code: $code)\n  }\n',
): (typeof documents)['\n  mutation VerifyTotp($code: String!) {\n    verifyTotp(code: $code)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ExportMyData {\n    exportMyData {\n      json\n      html\n    }\n  }\n',
): (typeof documents)['\n  mutation ExportMyData {\n    exportMyData {\n      json\n      html\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation DeleteMyAccount($password: String!) {\n    deleteMyAccount(password: $password)\n  }\n',
): (typeof documents)['\n  mutation DeleteMyAccount($password: String!) {\n    deleteMyAccount(password: $password)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MyNotifications {\n    myNotifications(limit: 50) {\n      id\n      kind\n      title\n      body\n      link\n      createdAt\n      readAt\n    }\n    myUnreadNotificationCount\n  }\n',
): (typeof documents)['\n  query MyNotifications {\n    myNotifications(limit: 50) {\n      id\n      kind\n      title\n      body\n      link\n      createdAt\n      readAt\n    }\n    myUnreadNotificationCount\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation MarkNotificationsRead($ids: [ID!]) {\n    markNotificationsRead(ids: $ids)\n  }\n',
): (typeof documents)['\n  mutation MarkNotificationsRead($ids: [ID!]) {\n    markNotificationsRead(ids: $ids)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription LiveNotification {\n    inAppNotification {\n      id\n      title\n    }\n  }\n',
): (typeof documents)['\n  subscription LiveNotification {\n    inAppNotification {\n      id\n      title\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MyPreferences {\n    myNotificationPreferences {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n',
): (typeof documents)['\n  query MyPreferences {\n    myNotificationPreferences {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation UpdatePreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n',
): (typeof documents)['\n  mutation UpdatePreferences($input: NotificationPreferencesInput!) {\n    updateNotificationPreferences(input: $input) {\n      urgent\n      important\n      info\n      quietHoursStart\n      quietHoursEnd\n      digestInfo\n      timezone\n      voicePhone\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query PushSetup {\n    vapidPublicKey\n    myPushSubscriptions {\n      id\n      endpoint\n      label\n      createdAt\n    }\n  }\n',
): (typeof documents)['\n  query PushSetup {\n    vapidPublicKey\n    myPushSubscriptions {\n      id\n      endpoint\n      label\n      createdAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SubscribePush($input: PushSubscriptionInput!) {\n    subscribePush(input: $input) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SubscribePush($input: PushSubscriptionInput!) {\n    subscribePush(input: $input) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n',
): (typeof documents)['\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      csrfToken\n    }\n  }\n',
): (typeof documents)['\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      csrfToken\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MyResidence {\n    myResidence {\n      id\n      status\n      addressLabel\n      sectorName\n      submittedAt\n      decidedAt\n      decisionReasonLabel\n      decisionComment\n      escalated\n    }\n    myReferentCandidacy {\n      wanted\n      status\n      community {\n        id\n        name\n      }\n    }\n  }\n',
): (typeof documents)['\n  query MyResidence {\n    myResidence {\n      id\n      status\n      addressLabel\n      sectorName\n      submittedAt\n      decidedAt\n      decisionReasonLabel\n      decisionComment\n      escalated\n    }\n    myReferentCandidacy {\n      wanted\n      status\n      community {\n        id\n        name\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n      postcode\n      city\n    }\n  }\n',
): (typeof documents)['\n  query SearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n      postcode\n      city\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation WithdrawVerification {\n    withdrawVerification {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation WithdrawVerification {\n    withdrawVerification {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SetReferentCandidacy($wanted: Boolean!) {\n    setReferentCandidacy(wanted: $wanted) {\n      wanted\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation SetReferentCandidacy($wanted: Boolean!) {\n    setReferentCandidacy(wanted: $wanted) {\n      wanted\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password)\n  }\n',
): (typeof documents)['\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SetupTotp {\n    setupTotp {\n      secret\n      otpauthUri\n    }\n  }\n',
): (typeof documents)['\n  mutation SetupTotp {\n    setupTotp {\n      secret\n      otpauthUri\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation EnableTotp($code: String!) {\n    enableTotp(code: $code)\n  }\n',
): (typeof documents)['\n  mutation EnableTotp($code: String!) {\n    enableTotp(code: $code)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation IssueTotpRecoveryCodes {\n    issueTotpRecoveryCodes\n  }\n',
): (typeof documents)['\n  mutation IssueTotpRecoveryCodes {\n    issueTotpRecoveryCodes\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SendPhoneCode {\n    sendPhoneCode\n  }\n',
): (typeof documents)['\n  mutation SendPhoneCode {\n    sendPhoneCode\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation VerifyPhone($code: String!) {\n    verifyPhone(code: $code)\n  }\n',
): (typeof documents)['\n  mutation VerifyPhone($code: String!) {\n    verifyPhone(code: $code)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n',
): (typeof documents)['\n  mutation ResendEmailVerification {\n    resendEmailVerification\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n',
): (typeof documents)['\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ShellSearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n    }\n  }\n',
): (typeof documents)['\n  query ShellSearchAddresses($query: String!) {\n    searchAddresses(query: $query, limit: 8) {\n      id\n      label\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SetMyLocale($locale: Locale!) {\n    setMyLocale(locale: $locale) {\n      id\n      locale\n    }\n  }\n',
): (typeof documents)['\n  mutation SetMyLocale($locale: Locale!) {\n    setMyLocale(locale: $locale) {\n      id\n      locale\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Unread {\n    myUnreadNotificationCount\n  }\n',
): (typeof documents)['\n  query Unread {\n    myUnreadNotificationCount\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription NotificationArrived {\n    inAppNotification {\n      id\n    }\n  }\n',
): (typeof documents)['\n  subscription NotificationArrived {\n    inAppNotification {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Session {\n    tenant {\n      slug\n      name\n      status\n      enabledPlugins\n      basemap\n      branding {\n        displayName\n        primaryColor\n        secondaryColor\n        logoUrl\n      }\n    }\n    me {\n      id\n      displayName\n      email\n      emailVerified\n      phone\n      phoneVerified\n      locale\n      permissionsAnyScope\n      csrfToken\n      secondFactor\n      roles {\n        role\n        scopeId\n      }\n    }\n  }\n',
): (typeof documents)['\n  query Session {\n    tenant {\n      slug\n      name\n      status\n      enabledPlugins\n      basemap\n      branding {\n        displayName\n        primaryColor\n        secondaryColor\n        logoUrl\n      }\n    }\n    me {\n      id\n      displayName\n      email\n      emailVerified\n      phone\n      phoneVerified\n      locale\n      permissionsAnyScope\n      csrfToken\n      secondFactor\n      roles {\n        role\n        scopeId\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation Logout {\n    logout\n  }\n',
): (typeof documents)['\n  mutation Logout {\n    logout\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleAlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      closedAt\n      authorName\n      authorKind\n      photoUrl\n      targetKind\n      targetSectorIds\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      assignee {\n        id\n        displayName\n      }\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n      deliverySummary {\n        recipients\n        total\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n      canFollowUp\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleAlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      closedAt\n      authorName\n      authorKind\n      photoUrl\n      targetKind\n      targetSectorIds\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      assignee {\n        id\n        displayName\n      }\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n      deliverySummary {\n        recipients\n        total\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n      canFollowUp\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleAlertNeighbours($id: ID!) {\n    alert(id: $id) {\n      id\n      reactions {\n        seenToo\n        canHelp\n      }\n      neighbourReport {\n        what\n        place\n        seenAt\n        vehicle\n        plate\n        called17\n        mergedReports\n      }\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleAlertNeighbours($id: ID!) {\n    alert(id: $id) {\n      id\n      reactions {\n        seenToo\n        canHelp\n      }\n      neighbourReport {\n        what\n        place\n        seenAt\n        vehicle\n        plate\n        called17\n        mergedReports\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleAcknowledge($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleAcknowledge($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      status\n      acknowledgedAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleSetStatus($id: ID!, $status: AlertStatus!, $closure: AlertClosure, $note: String) {\n    setAlertStatus(id: $id, status: $status, closure: $closure, note: $note) {\n      id\n      status\n      closure\n      closedAt\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleSetStatus($id: ID!, $status: AlertStatus!, $closure: AlertClosure, $note: String) {\n    setAlertStatus(id: $id, status: $status, closure: $closure, note: $note) {\n      id\n      status\n      closure\n      closedAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleFollowUp($alertId: ID!, $text: String!) {\n    addAlertFollowUp(alertId: $alertId, text: $text) {\n      id\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleFollowUp($alertId: ID!, $text: String!) {\n    addAlertFollowUp(alertId: $alertId, text: $text) {\n      id\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleEndAlert($alertId: ID!, $text: String!, $closure: AlertClosure) {\n    endAlert(alertId: $alertId, text: $text, closure: $closure) {\n      id\n      status\n      closure\n      closedAt\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleEndAlert($alertId: ID!, $text: String!, $closure: AlertClosure) {\n    endAlert(alertId: $alertId, text: $text, closure: $closure) {\n      id\n      status\n      closure\n      closedAt\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleAssign($alertId: ID!, $agentId: ID!) {\n    assignAlert(alertId: $alertId, agentId: $agentId) {\n      id\n      assignee {\n        id\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleAssign($alertId: ID!, $agentId: ID!) {\n    assignAlert(alertId: $alertId, agentId: $agentId) {\n      id\n      assignee {\n        id\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleNote($alertId: ID!, $text: String!) {\n    addAlertNote(alertId: $alertId, text: $text) {\n      id\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleNote($alertId: ID!, $text: String!) {\n    addAlertNote(alertId: $alertId, text: $text) {\n      id\n      consoleNotes {\n        id\n        text\n        authorName\n        at\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ComposeContext {\n    alertCategories {\n      id\n      slug\n      label\n      defaultSeverity\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n    alertTemplates {\n      category\n      text\n    }\n  }\n',
): (typeof documents)['\n  query ComposeContext {\n    alertCategories {\n      id\n      slug\n      label\n      defaultSeverity\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n    alertTemplates {\n      category\n      text\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SaveAlertTemplate($category: String!, $text: String!) {\n    saveAlertTemplate(category: $category, text: $text) {\n      category\n      text\n    }\n  }\n',
): (typeof documents)['\n  mutation SaveAlertTemplate($category: String!, $text: String!) {\n    saveAlertTemplate(category: $category, text: $text) {\n      category\n      text\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query AlertPreview($input: RaiseAlertInput!) {\n    alertPreview(input: $input) {\n      recipients\n      households\n      byChannel {\n        channel\n        now\n        held\n        skipped\n      }\n      sms {\n        typedEncoding\n        ucs2Characters\n        suggestion\n        encoding\n        segmentsPerMessage\n        messages\n        segments\n        budget\n        segmentsUsedThisMonth\n        segmentsLeft\n        text\n      }\n      cost {\n        pricePerSegment\n        total\n        budgetLeft\n      }\n    }\n  }\n',
): (typeof documents)['\n  query AlertPreview($input: RaiseAlertInput!) {\n    alertPreview(input: $input) {\n      recipients\n      households\n      byChannel {\n        channel\n        now\n        held\n        skipped\n      }\n      sms {\n        typedEncoding\n        ucs2Characters\n        suggestion\n        encoding\n        segmentsPerMessage\n        messages\n        segments\n        budget\n        segmentsUsedThisMonth\n        segmentsLeft\n        text\n      }\n      cost {\n        pricePerSegment\n        total\n        budgetLeft\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleRaiseAlert($input: RaiseAlertInput!) {\n    raiseAlert(input: $input) {\n      id\n      ref\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleRaiseAlert($input: RaiseAlertInput!) {\n    raiseAlert(input: $input) {\n      id\n      ref\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleAlerts($filter: AlertFilter) {\n    alerts(filter: $filter, limit: 100) {\n      items {\n        id\n        ref\n        text\n        status\n        closure\n        severity\n        createdAt\n        acknowledgedAt\n        targetKind\n        targetSectorIds\n        authorKind\n        location {\n          lon\n          lat\n        }\n        category {\n          id\n          slug\n          label\n        }\n        assignee {\n          id\n          displayName\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleAlerts($filter: AlertFilter) {\n    alerts(filter: $filter, limit: 100) {\n      items {\n        id\n        ref\n        text\n        status\n        closure\n        severity\n        createdAt\n        acknowledgedAt\n        targetKind\n        targetSectorIds\n        authorKind\n        location {\n          lon\n          lat\n        }\n        category {\n          id\n          slug\n          label\n        }\n        assignee {\n          id\n          displayName\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleContext {\n    alertCategories {\n      id\n      slug\n      label\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleContext {\n    alertCategories {\n      id\n      slug\n      label\n    }\n    sectors {\n      id\n      name\n      geometry\n      bbox\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ConsoleAlertRaised {\n    alertRaised {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      targetKind\n      targetSectorIds\n      authorKind\n      location {\n        lon\n        lat\n      }\n      category {\n        id\n        slug\n        label\n      }\n    }\n  }\n',
): (typeof documents)['\n  subscription ConsoleAlertRaised {\n    alertRaised {\n      id\n      ref\n      text\n      status\n      closure\n      severity\n      createdAt\n      acknowledgedAt\n      targetKind\n      targetSectorIds\n      authorKind\n      location {\n        lon\n        lat\n      }\n      category {\n        id\n        slug\n        label\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ConsoleAlertStatus {\n    alertStatusChanged {\n      id\n      status\n      closure\n      acknowledgedAt\n    }\n  }\n',
): (typeof documents)['\n  subscription ConsoleAlertStatus {\n    alertStatusChanged {\n      id\n      status\n      closure\n      acknowledgedAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleRegisterAtCounter($input: CounterRegistrationInput!) {\n    registerResidentAtCounter(input: $input) {\n      accountId\n      displayName\n      addressLabel\n      sectorName\n      smsTo\n      voiceTo\n      urgentChannels\n      invitationSent\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleRegisterAtCounter($input: CounterRegistrationInput!) {\n    registerResidentAtCounter(input: $input) {\n      accountId\n      displayName\n      addressLabel\n      sectorName\n      smsTo\n      voiceTo\n      urgentChannels\n      invitationSent\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query DeliveryReportSummary($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      createdAt\n      category {\n        label\n      }\n    }\n    alertDeliveryReport(alertId: $id, limit: 1) {\n      summary {\n        recipients\n        total\n        byStatus {\n          status\n          count\n        }\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query DeliveryReportSummary($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      createdAt\n      category {\n        label\n      }\n    }\n    alertDeliveryReport(alertId: $id, limit: 1) {\n      summary {\n        recipients\n        total\n        byStatus {\n          status\n          count\n        }\n        byChannel {\n          channel\n          status\n          count\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query DeliveryReportRows(\n    $id: ID!\n    $status: DeliveryStatus\n    $channel: NotificationChannel\n    $after: String\n    $limit: Int!\n  ) {\n    alertDeliveryReport(alertId: $id, status: $status, channel: $channel, after: $after, limit: $limit) {\n      nextCursor\n      items {\n        id\n        recipientName\n        accountId\n        purpose\n        channel\n        status\n        reason\n        attempts\n        device\n        queuedAt\n        sentAt\n        deliveredAt\n        failedAt\n        notBefore\n      }\n    }\n  }\n',
): (typeof documents)['\n  query DeliveryReportRows(\n    $id: ID!\n    $status: DeliveryStatus\n    $channel: NotificationChannel\n    $after: String\n    $limit: Int!\n  ) {\n    alertDeliveryReport(alertId: $id, status: $status, channel: $channel, after: $after, limit: $limit) {\n      nextCursor\n      items {\n        id\n        recipientName\n        accountId\n        purpose\n        channel\n        status\n        reason\n        attempts\n        device\n        queuedAt\n        sentAt\n        deliveredAt\n        failedAt\n        notBefore\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleOnDuty {\n    policeOnDuty {\n      accountId\n      displayName\n      since\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleOnDuty {\n    policeOnDuty {\n      accountId\n      displayName\n      since\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleOnDutyAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleOnDutyAgents {\n    consoleAgents {\n      id\n      displayName\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ConsoleSetOnDuty($accountId: ID) {\n    setPoliceOnDuty(accountId: $accountId) {\n      accountId\n      displayName\n      since\n    }\n  }\n',
): (typeof documents)['\n  mutation ConsoleSetOnDuty($accountId: ID) {\n    setPoliceOnDuty(accountId: $accountId) {\n      accountId\n      displayName\n      since\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ConsoleStatistics($year: Int!) {\n    consoleStatistics(year: $year) {\n      year\n      htmlUrl\n      csvUrl\n      pdfUrl\n      sections {\n        id\n        label\n        labelEn\n        figures {\n          key\n          label\n          labelEn\n          value\n          display\n          measure\n          monthly {\n            value\n            display\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query ConsoleStatistics($year: Int!) {\n    consoleStatistics(year: $year) {\n      year\n      htmlUrl\n      csvUrl\n      pdfUrl\n      sections {\n        id\n        label\n        labelEn\n        figures {\n          key\n          label\n          labelEn\n          value\n          display\n          measure\n          monthly {\n            value\n            display\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SolCcasPlan {\n    solPlan {\n      id\n      kind\n      prefectureLevel\n      startedAt\n      day\n      counts {\n        pending\n        answered\n        notAnswered\n        visited\n      }\n      contacts {\n        id\n        personId\n        firstName\n        lastName\n        channel\n        phone\n        addressLabel\n        status\n      }\n    }\n    solActivations {\n      id\n      kind\n      startedAt\n      endedAt\n      closed\n      summary {\n        answered\n        notAnswered\n        visited\n      }\n    }\n  }\n',
): (typeof documents)['\n  query SolCcasPlan {\n    solPlan {\n      id\n      kind\n      prefectureLevel\n      startedAt\n      day\n      counts {\n        pending\n        answered\n        notAnswered\n        visited\n      }\n      contacts {\n        id\n        personId\n        firstName\n        lastName\n        channel\n        phone\n        addressLabel\n        status\n      }\n    }\n    solActivations {\n      id\n      kind\n      startedAt\n      endedAt\n      closed\n      summary {\n        answered\n        notAnswered\n        visited\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SolCcasRegister {\n    solRegister {\n      id\n      firstName\n      lastName\n      addressLabel\n      contactMethod\n      phone\n      intervalDays\n      lastSignAt\n      escalation\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  query SolCcasRegister {\n    solRegister {\n      id\n      firstName\n      lastName\n      addressLabel\n      contactMethod\n      phone\n      intervalDays\n      lastSignAt\n      escalation\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolActivate($kind: SolPlanKind!, $level: String) {\n    solActivatePlan(kind: $kind, prefectureLevel: $level) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SolActivate($kind: SolPlanKind!, $level: String) {\n    solActivatePlan(kind: $kind, prefectureLevel: $level) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolDeactivate {\n    solDeactivatePlan {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SolDeactivate {\n    solDeactivatePlan {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolCcasNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n',
): (typeof documents)['\n  mutation SolCcasNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SolCcasPerson($id: ID!) {\n    solPerson(id: $id) {\n      id\n      firstName\n      lastName\n      addressLabel\n      communityId\n      contactMethod\n      phone\n      intervalDays\n      escalatePolice\n      visibility\n      consentBy\n      consentName\n      consentAt\n      lastSignAt\n      nextSignDueAt\n      escalation\n      healthNotes\n      hasHealthNotes\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  query SolCcasPerson($id: ID!) {\n    solPerson(id: $id) {\n      id\n      firstName\n      lastName\n      addressLabel\n      communityId\n      contactMethod\n      phone\n      intervalDays\n      escalatePolice\n      visibility\n      consentBy\n      consentName\n      consentAt\n      lastSignAt\n      nextSignDueAt\n      escalation\n      healthNotes\n      hasHealthNotes\n      volunteers {\n        id\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SolCcasVolunteers {\n    solVolunteers {\n      id\n      displayName\n      availability\n      communityId\n      communityName\n      pairedCount\n    }\n  }\n',
): (typeof documents)['\n  query SolCcasVolunteers {\n    solVolunteers {\n      id\n      displayName\n      availability\n      communityId\n      communityName\n      pairedCount\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolPair($personId: ID!, $volunteerId: ID!) {\n    solPair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SolPair($personId: ID!, $volunteerId: ID!) {\n    solPair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolUnpair($personId: ID!, $volunteerId: ID!) {\n    solUnpair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SolUnpair($personId: ID!, $volunteerId: ID!) {\n    solUnpair(personId: $personId, volunteerId: $volunteerId) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolUpdate($id: ID!, $input: SolPersonUpdate!) {\n    solUpdatePerson(id: $id, input: $input) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SolUpdate($id: ID!, $input: SolPersonUpdate!) {\n    solUpdatePerson(id: $id, input: $input) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolCcasWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n',
): (typeof documents)['\n  mutation SolCcasWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolRegister($input: SolPersonInput!) {\n    solRegisterPerson(input: $input) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SolRegister($input: SolPersonInput!) {\n    solRegisterPerson(input: $input) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SolHomeSummary {\n    solRegister {\n      id\n      escalation\n    }\n    solPlan {\n      id\n      kind\n    }\n  }\n',
): (typeof documents)['\n  query SolHomeSummary {\n    solRegister {\n      id\n      escalation\n    }\n    solPlan {\n      id\n      kind\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query SolMine {\n    solMyEntries {\n      id\n      firstName\n      lastName\n      forSelf\n      intervalDays\n      lastSignAt\n      roundContactId\n    }\n    solMyVolunteering {\n      volunteer\n      availability\n      people {\n        id\n        firstName\n        contactMethod\n        contact\n        lastSignAt\n        nextSignDueAt\n        escalation\n        roundContactId\n      }\n    }\n  }\n',
): (typeof documents)['\n  query SolMine {\n    solMyEntries {\n      id\n      firstName\n      lastName\n      forSelf\n      intervalDays\n      lastSignAt\n      roundContactId\n    }\n    solMyVolunteering {\n      volunteer\n      availability\n      people {\n        id\n        firstName\n        contactMethod\n        contact\n        lastSignAt\n        nextSignDueAt\n        escalation\n        roundContactId\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolImFine {\n    solImFine {\n      lastSignAt\n    }\n  }\n',
): (typeof documents)['\n  mutation SolImFine {\n    solImFine {\n      lastSignAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n',
): (typeof documents)['\n  mutation SolWithdraw($id: ID!) {\n    solWithdrawConsent(id: $id)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolOffer($availability: String) {\n    solOfferToVolunteer(availability: $availability) {\n      volunteer\n    }\n  }\n',
): (typeof documents)['\n  mutation SolOffer($availability: String) {\n    solOfferToVolunteer(availability: $availability) {\n      volunteer\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolStepBack {\n    solStepBack\n  }\n',
): (typeof documents)['\n  mutation SolStepBack {\n    solStepBack\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n',
): (typeof documents)['\n  mutation SolNews($personId: ID!) {\n    solNewsReceived(personId: $personId) {\n      lastSignAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SolRecordContact($contactId: ID!, $outcome: SolOutcome!) {\n    solRecordContact(contactId: $contactId, outcome: $outcome) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation SolRecordContact($contactId: ID!, $outcome: SolOutcome!) {\n    solRecordContact(contactId: $contactId, outcome: $outcome) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TvPatrol($date: String) {\n    tvPatrol(date: $date) {\n      date\n      stops {\n        order\n        suggestedTime\n        visitedToday\n        absence {\n          id\n          addressLabel\n          doorCode\n          details {\n            dwelling\n            floor\n            contactName\n            contactPhone\n            alarmCompany\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query TvPatrol($date: String) {\n    tvPatrol(date: $date) {\n      date\n      stops {\n        order\n        suggestedTime\n        visitedToday\n        absence {\n          id\n          addressLabel\n          doorCode\n          details {\n            dwelling\n            floor\n            contactName\n            contactPhone\n            alarmCompany\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvLogVisit($absenceId: ID!, $outcome: TvVisitOutcome!, $note: String) {\n    logVisit(absenceId: $absenceId, outcome: $outcome, note: $note) {\n      id\n      visitedAt\n      outcome\n    }\n  }\n',
): (typeof documents)['\n  mutation TvLogVisit($absenceId: ID!, $outcome: TvVisitOutcome!, $note: String) {\n    logVisit(absenceId: $absenceId, outcome: $outcome, note: $note) {\n      id\n      visitedAt\n      outcome\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TvConsole {\n    tvAnomalies {\n      visit {\n        id\n        visitedAt\n        outcome\n        note\n        contactCall\n      }\n      absence {\n        id\n        addressLabel\n      }\n    }\n    tvAbsences {\n      id\n      status\n      addressLabel\n      departsAt\n      returnsAt\n      lastVisitAt\n      residentName\n      declaredAtCounter\n    }\n  }\n',
): (typeof documents)['\n  query TvConsole {\n    tvAnomalies {\n      visit {\n        id\n        visitedAt\n        outcome\n        note\n        contactCall\n      }\n      absence {\n        id\n        addressLabel\n      }\n    }\n    tvAbsences {\n      id\n      status\n      addressLabel\n      departsAt\n      returnsAt\n      lastVisitAt\n      residentName\n      declaredAtCounter\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvValidate($id: ID!) {\n    validateAbsence(id: $id) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation TvValidate($id: ID!) {\n    validateAbsence(id: $id) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvRefuse($id: ID!, $reason: String!) {\n    refuseAbsence(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation TvRefuse($id: ID!, $reason: String!) {\n    refuseAbsence(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TvAbsence($id: ID!) {\n    tvAbsence(id: $id) {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      residentName\n      doorCode\n      keyHolders\n      details {\n        awayPhone\n        awayAddress\n        contactName\n        contactPhone\n        alarm\n        alarmCompany\n        presenceSimulation\n        dwelling\n        floor\n        vehicles\n        pets\n        notes\n        businessName\n        businessActivity\n        businessPhone\n      }\n      visits {\n        id\n        visitedAt\n        outcome\n        note\n      }\n    }\n  }\n',
): (typeof documents)['\n  query TvAbsence($id: ID!) {\n    tvAbsence(id: $id) {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      residentName\n      doorCode\n      keyHolders\n      details {\n        awayPhone\n        awayAddress\n        contactName\n        contactPhone\n        alarm\n        alarmCompany\n        presenceSimulation\n        dwelling\n        floor\n        vehicles\n        pets\n        notes\n        businessName\n        businessActivity\n        businessPhone\n      }\n      visits {\n        id\n        visitedAt\n        outcome\n        note\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TvMyAbsences {\n    myAbsences {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      refusalReason\n      earlyReturn\n      visits {\n        id\n        visitedAt\n        outcome\n      }\n    }\n  }\n',
): (typeof documents)['\n  query TvMyAbsences {\n    myAbsences {\n      id\n      status\n      kind\n      addressLabel\n      departsAt\n      returnsAt\n      refusalReason\n      earlyReturn\n      visits {\n        id\n        visitedAt\n        outcome\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvChangeReturn($id: ID!, $returnsAt: String!) {\n    changeAbsenceDates(id: $id, returnsAt: $returnsAt) {\n      id\n      returnsAt\n    }\n  }\n',
): (typeof documents)['\n  mutation TvChangeReturn($id: ID!, $returnsAt: String!) {\n    changeAbsenceDates(id: $id, returnsAt: $returnsAt) {\n      id\n      returnsAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvEarlyReturn($id: ID!) {\n    declareEarlyReturn(id: $id) {\n      id\n      status\n      returnsAt\n      earlyReturn\n    }\n  }\n',
): (typeof documents)['\n  mutation TvEarlyReturn($id: ID!) {\n    declareEarlyReturn(id: $id) {\n      id\n      status\n      returnsAt\n      earlyReturn\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvCancel($id: ID!) {\n    cancelAbsence(id: $id) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation TvCancel($id: ID!) {\n    cancelAbsence(id: $id) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TvRules {\n    tvRules {\n      minNoticeDays\n      earliestDays\n      maxAbsenceDays\n      secondaryHomes\n    }\n  }\n',
): (typeof documents)['\n  query TvRules {\n    tvRules {\n      minNoticeDays\n      earliestDays\n      maxAbsenceDays\n      secondaryHomes\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query TvFindResident($email: String!) {\n    tvResident(email: $email) {\n      accountId\n      displayName\n      addressLabel\n    }\n  }\n',
): (typeof documents)['\n  query TvFindResident($email: String!) {\n    tvResident(email: $email) {\n      accountId\n      displayName\n      addressLabel\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation TvDeclare($input: TvAbsenceInput!, $for: ID) {\n    declareAbsence(input: $input, forAccountId: $for) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation TvDeclare($input: TvAbsenceInput!, $for: ID) {\n    declareAbsence(input: $input, forAccountId: $for) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query NeighbourAlertForm($locale: NeighbourAlertLocale) {\n    neighbourAlertForm(locale: $locale) {\n      title\n      warning\n      alertsPerHour\n      alertsLeftThisHour\n      mergeWindowMinutes\n      policeEmergencyNumber\n      europeanEmergencyNumber\n      policeMunicipale {\n        label\n        phone\n        hours\n      }\n      categories {\n        id\n        slug\n        label\n        defaultSeverity\n      }\n      photo {\n        maxBytes\n        acceptedTypes\n        uploadUrl\n        help\n      }\n    }\n  }\n',
): (typeof documents)['\n  query NeighbourAlertForm($locale: NeighbourAlertLocale) {\n    neighbourAlertForm(locale: $locale) {\n      title\n      warning\n      alertsPerHour\n      alertsLeftThisHour\n      mergeWindowMinutes\n      policeEmergencyNumber\n      europeanEmergencyNumber\n      policeMunicipale {\n        label\n        phone\n        hours\n      }\n      categories {\n        id\n        slug\n        label\n        defaultSeverity\n      }\n      photo {\n        maxBytes\n        acceptedTypes\n        uploadUrl\n        help\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation RaiseNeighbourAlert($input: NeighbourAlertInput!) {\n    raiseNeighbourAlert(input: $input) {\n      merged\n      alert {\n        id\n        ref\n        status\n        severity\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation RaiseNeighbourAlert($input: NeighbourAlertInput!) {\n    raiseNeighbourAlert(input: $input) {\n      merged\n      alert {\n        id\n        ref\n        status\n        severity\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MyAlerts {\n    myAlerts(limit: 50) {\n      items {\n        id\n        ref\n        text\n        status\n        severity\n        createdAt\n        category {\n          label\n        }\n        history {\n          status\n          at\n          note\n          closure\n        }\n        reactions {\n          seenToo\n          canHelp\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query MyAlerts {\n    myAlerts(limit: 50) {\n      items {\n        id\n        ref\n        text\n        status\n        severity\n        createdAt\n        category {\n          label\n        }\n        history {\n          status\n          at\n          note\n          closure\n        }\n        reactions {\n          seenToo\n          canHelp\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      severity\n      createdAt\n      mine\n      authorName\n      photoUrl\n      followsAlertId\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      reactions {\n        seenToo\n        canHelp\n        mine\n        neighbours {\n          kind\n          neighbour {\n            displayName\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query AlertDetail($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      status\n      severity\n      createdAt\n      mine\n      authorName\n      photoUrl\n      followsAlertId\n      followUps {\n        id\n        kind\n        text\n        createdAt\n      }\n      category {\n        label\n      }\n      history {\n        status\n        at\n        note\n        closure\n      }\n      reactions {\n        seenToo\n        canHelp\n        mine\n        neighbours {\n          kind\n          neighbour {\n            displayName\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ReactToNeighbourAlert($alertId: ID!, $kind: NeighbourReactionKind!) {\n    reactToNeighbourAlert(alertId: $alertId, kind: $kind) {\n      id\n      reactions {\n        seenToo\n        canHelp\n        mine\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation ReactToNeighbourAlert($alertId: ID!, $kind: NeighbourReactionKind!) {\n    reactToNeighbourAlert(alertId: $alertId, kind: $kind) {\n      id\n      reactions {\n        seenToo\n        canHelp\n        mine\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription MyAlertStatusChanged {\n    alertStatusChanged {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  subscription MyAlertStatusChanged {\n    alertStatusChanged {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription LiveNotifications {\n    inAppNotification {\n      id\n      kind\n      link\n    }\n  }\n',
): (typeof documents)['\n  subscription LiveNotifications {\n    inAppNotification {\n      id\n      kind\n      link\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query LiveFeedItem($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      severity\n      status\n      createdAt\n      category {\n        label\n      }\n    }\n  }\n',
): (typeof documents)['\n  query LiveFeedItem($id: ID!) {\n    alert(id: $id) {\n      id\n      ref\n      text\n      severity\n      status\n      createdAt\n      category {\n        label\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query BoundarySector($id: ID!) {\n    sector(id: $id) {\n      id\n      name\n      geometry\n      bbox\n      areaM2\n      addressCount\n    }\n  }\n',
): (typeof documents)['\n  query BoundarySector($id: ID!) {\n    sector(id: $id) {\n      id\n      name\n      geometry\n      bbox\n      areaM2\n      addressCount\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query BoundaryNeighbours {\n    sectors {\n      id\n      name\n      geometry\n    }\n  }\n',
): (typeof documents)['\n  query BoundaryNeighbours {\n    sectors {\n      id\n      name\n      geometry\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation RedrawBoundary($communityId: ID!, $geometry: String!, $confirmOverlap: Boolean) {\n    redrawCommunityBoundary(communityId: $communityId, geometry: $geometry, confirmOverlap: $confirmOverlap) {\n      areaM2\n      movedAddresses\n      community {\n        id\n        name\n      }\n      overlaps {\n        id\n        name\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation RedrawBoundary($communityId: ID!, $geometry: String!, $confirmOverlap: Boolean) {\n    redrawCommunityBoundary(communityId: $communityId, geometry: $geometry, confirmOverlap: $confirmOverlap) {\n      areaM2\n      movedAddresses\n      community {\n        id\n        name\n      }\n      overlaps {\n        id\n        name\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MyCommunityPage {\n    myMembership {\n      status\n      request {\n        id\n        status\n        createdAt\n      }\n      exclusion {\n        id\n        reason\n      }\n    }\n    myCommunity {\n      id\n      name\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n      referents {\n        id\n        displayName\n      }\n      latestAlerts(limit: 10) {\n        id\n        ref\n        text\n        severity\n        status\n        createdAt\n        seenToo\n        canHelp\n        category {\n          label\n        }\n      }\n      latestThreads(limit: 5) {\n        id\n        title\n        categoryLabel\n        commentCount\n        lastActivityAt\n      }\n      upcomingEvents(limit: 3) {\n        id\n        title\n        startsAt\n        place\n      }\n    }\n    communityCharter {\n      version\n      text\n      accepted\n      acceptedAt\n    }\n  }\n',
): (typeof documents)['\n  query MyCommunityPage {\n    myMembership {\n      status\n      request {\n        id\n        status\n        createdAt\n      }\n      exclusion {\n        id\n        reason\n      }\n    }\n    myCommunity {\n      id\n      name\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n      referents {\n        id\n        displayName\n      }\n      latestAlerts(limit: 10) {\n        id\n        ref\n        text\n        severity\n        status\n        createdAt\n        seenToo\n        canHelp\n        category {\n          label\n        }\n      }\n      latestThreads(limit: 5) {\n        id\n        title\n        categoryLabel\n        commentCount\n        lastActivityAt\n      }\n      upcomingEvents(limit: 3) {\n        id\n        title\n        startsAt\n        place\n      }\n    }\n    communityCharter {\n      version\n      text\n      accepted\n      acceptedAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation AcceptCharter($version: String!) {\n    acceptCharter(version: $version) {\n      accepted\n      acceptedAt\n    }\n  }\n',
): (typeof documents)['\n  mutation AcceptCharter($version: String!) {\n    acceptCharter(version: $version) {\n      accepted\n      acceptedAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Conversations {\n    conversations {\n      unread\n      neighbour {\n        id\n        displayName\n      }\n      lastMessage {\n        body\n        createdAt\n        mine\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 100) {\n        id\n        displayName\n      }\n    }\n    me {\n      id\n    }\n  }\n',
): (typeof documents)['\n  query Conversations {\n    conversations {\n      unread\n      neighbour {\n        id\n        displayName\n      }\n      lastMessage {\n        body\n        createdAt\n        mine\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 100) {\n        id\n        displayName\n      }\n    }\n    me {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MessagesWith($neighbourId: ID!) {\n    messagesWith(neighbourId: $neighbourId, limit: 100) {\n      id\n      body\n      createdAt\n      mine\n      author {\n        displayName\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 200) {\n        id\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  query MessagesWith($neighbourId: ID!) {\n    messagesWith(neighbourId: $neighbourId, limit: 100) {\n      id\n      body\n      createdAt\n      mine\n      author {\n        displayName\n      }\n    }\n    myCommunity {\n      id\n      members(limit: 200) {\n        id\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SendPrivateMessage($recipientId: ID!, $body: String!) {\n    sendPrivateMessage(recipientId: $recipientId, body: $body) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation SendPrivateMessage($recipientId: ID!, $body: String!) {\n    sendPrivateMessage(recipientId: $recipientId, body: $body) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation MarkConversationRead($neighbourId: ID!) {\n    markConversationRead(neighbourId: $neighbourId)\n  }\n',
): (typeof documents)['\n  mutation MarkConversationRead($neighbourId: ID!) {\n    markConversationRead(neighbourId: $neighbourId)\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Threads {\n    threads(limit: 30) {\n      id\n      title\n      categoryLabel\n      commentCount\n      lastActivityAt\n      author {\n        displayName\n      }\n    }\n    discussionCategories {\n      value\n      label\n    }\n  }\n',
): (typeof documents)['\n  query Threads {\n    threads(limit: 30) {\n      id\n      title\n      categoryLabel\n      commentCount\n      lastActivityAt\n      author {\n        displayName\n      }\n    }\n    discussionCategories {\n      value\n      label\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Thread($id: ID!) {\n    thread(id: $id) {\n      id\n      title\n      body\n      categoryLabel\n      createdAt\n      author {\n        id\n        displayName\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          id\n          displayName\n        }\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n',
): (typeof documents)['\n  query Thread($id: ID!) {\n    thread(id: $id) {\n      id\n      title\n      body\n      categoryLabel\n      createdAt\n      author {\n        id\n        displayName\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          id\n          displayName\n        }\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateThread($input: ThreadInput!) {\n    createThread(input: $input) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation CreateThread($input: ThreadInput!) {\n    createThread(input: $input) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation AddComment($threadId: ID!, $body: String!) {\n    addComment(threadId: $threadId, body: $body) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation AddComment($threadId: ID!, $body: String!) {\n    addComment(threadId: $threadId, body: $body) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ReportContent($input: ReportInput!) {\n    reportContent(input: $input) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation ReportContent($input: ReportInput!) {\n    reportContent(input: $input) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query CommunityEvents {\n    communityEvents(limit: 20) {\n      id\n      title\n      description\n      place\n      startsAt\n      endsAt\n      kindLabel\n      cancelled\n      cancelReason\n      myRsvp\n      organiser {\n        displayName\n      }\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n',
): (typeof documents)['\n  query CommunityEvents {\n    communityEvents(limit: 20) {\n      id\n      title\n      description\n      place\n      startsAt\n      endsAt\n      kindLabel\n      cancelled\n      cancelReason\n      myRsvp\n      organiser {\n        displayName\n      }\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation RsvpEvent($eventId: ID!, $answer: RsvpAnswer!) {\n    rsvpEvent(eventId: $eventId, answer: $answer) {\n      id\n      myRsvp\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation RsvpEvent($eventId: ID!, $answer: RsvpAnswer!) {\n    rsvpEvent(eventId: $eventId, answer: $answer) {\n      id\n      myRsvp\n      rsvpCounts {\n        yes\n        maybe\n        no\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query GovernanceCommunities {\n    communities {\n      id\n      name\n    }\n  }\n',
): (typeof documents)['\n  query GovernanceCommunities {\n    communities {\n      id\n      name\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query GovernanceCommunity($id: ID!) {\n    community(id: $id) {\n      id\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n    }\n    referentRound(communityId: $id) {\n      phase\n      seatsLeft\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  query GovernanceCommunity($id: ID!) {\n    community(id: $id) {\n      id\n      memberCount\n      coverage {\n        addresses\n        households\n        ratio\n      }\n    }\n    referentRound(communityId: $id) {\n      phase\n      seatsLeft\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query GovernanceRound($id: ID!) {\n    referentRound(communityId: $id) {\n      roundId\n      phase\n      reason\n      seatsLeft\n      collectUntil\n      community {\n        id\n        name\n      }\n      candidates {\n        id\n        displayName\n      }\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  query GovernanceRound($id: ID!) {\n    referentRound(communityId: $id) {\n      roundId\n      phase\n      reason\n      seatsLeft\n      collectUntil\n      community {\n        id\n        name\n      }\n      candidates {\n        id\n        displayName\n      }\n      referents {\n        id\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation GovernanceOpenRound($id: ID!) {\n    openReferentRound(communityId: $id) {\n      phase\n    }\n  }\n',
): (typeof documents)['\n  mutation GovernanceOpenRound($id: ID!) {\n    openReferentRound(communityId: $id) {\n      phase\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation GovernanceChoose($id: ID!, $accountIds: [ID!]!) {\n    chooseReferents(communityId: $id, accountIds: $accountIds) {\n      phase\n    }\n  }\n',
): (typeof documents)['\n  mutation GovernanceChoose($id: ID!, $accountIds: [ID!]!) {\n    chooseReferents(communityId: $id, accountIds: $accountIds) {\n      phase\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query GovernanceUnassigned {\n    unassignedAddresses(limit: 20) {\n      total\n      addresses {\n        id\n        label\n      }\n    }\n  }\n',
): (typeof documents)['\n  query GovernanceUnassigned {\n    unassignedAddresses(limit: 20) {\n      total\n      addresses {\n        id\n        label\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query GovernanceAppeals {\n    exclusionAppeals(status: "pending") {\n      id\n      statement\n      createdAt\n      exclusion {\n        reason\n        community {\n          name\n        }\n        member {\n          displayName\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query GovernanceAppeals {\n    exclusionAppeals(status: "pending") {\n      id\n      statement\n      createdAt\n      exclusion {\n        reason\n        community {\n          name\n        }\n        member {\n          displayName\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation GovernanceDecide($id: ID!, $decision: AppealDecision!, $reason: String!) {\n    decideExclusionAppeal(appealId: $id, decision: $decision, reason: $reason) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation GovernanceDecide($id: ID!, $decision: AppealDecision!, $reason: String!) {\n    decideExclusionAppeal(appealId: $id, decision: $decision, reason: $reason) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query GovernanceModerationLog {\n    moderationLog(limit: 20) {\n      id\n      action\n      at\n      reason\n      contentType\n      community {\n        name\n      }\n      actor {\n        displayName\n      }\n    }\n  }\n',
): (typeof documents)['\n  query GovernanceModerationLog {\n    moderationLog(limit: 20) {\n      id\n      action\n      at\n      reason\n      contentType\n      community {\n        name\n      }\n      actor {\n        displayName\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query MyReferentCommunities {\n    myReferentCommunities {\n      id\n      name\n    }\n  }\n',
): (typeof documents)['\n  query MyReferentCommunities {\n    myReferentCommunities {\n      id\n      name\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ReferentDesk($communityId: ID!) {\n    membershipRequests(communityId: $communityId) {\n      id\n      createdAt\n      message\n      addressLabel\n      status\n      requester {\n        id\n        displayName\n      }\n    }\n    verificationQueue {\n      residenceId\n      residentDisplayName\n      addressLabel\n      sectorName\n      submittedAt\n      isMove\n      escalated\n      proof {\n        mime\n        sizeBytes\n      }\n    }\n    rejectionReasons {\n      code\n      label\n      labelEn\n    }\n    communitySupportRequests(communityId: $communityId, status: "open") {\n      id\n      subject\n      status\n      createdAt\n      author {\n        displayName\n      }\n      messages {\n        id\n        body\n        createdAt\n        fromReferent\n      }\n    }\n    moderationQueue(communityId: $communityId) {\n      contentId\n      contentType\n      excerpt\n      reportCount\n      reasons\n      firstReportedAt\n      author {\n        displayName\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n',
): (typeof documents)['\n  query ReferentDesk($communityId: ID!) {\n    membershipRequests(communityId: $communityId) {\n      id\n      createdAt\n      message\n      addressLabel\n      status\n      requester {\n        id\n        displayName\n      }\n    }\n    verificationQueue {\n      residenceId\n      residentDisplayName\n      addressLabel\n      sectorName\n      submittedAt\n      isMove\n      escalated\n      proof {\n        mime\n        sizeBytes\n      }\n    }\n    rejectionReasons {\n      code\n      label\n      labelEn\n    }\n    communitySupportRequests(communityId: $communityId, status: "open") {\n      id\n      subject\n      status\n      createdAt\n      author {\n        displayName\n      }\n      messages {\n        id\n        body\n        createdAt\n        fromReferent\n      }\n    }\n    moderationQueue(communityId: $communityId) {\n      contentId\n      contentType\n      excerpt\n      reportCount\n      reasons\n      firstReportedAt\n      author {\n        displayName\n      }\n    }\n    reportReasons {\n      value\n      label\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ApproveMembership($id: ID!) {\n    approveMembershipRequest(id: $id) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation ApproveMembership($id: ID!) {\n    approveMembershipRequest(id: $id) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation RefuseMembership($id: ID!, $reason: String!) {\n    refuseMembershipRequest(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation RefuseMembership($id: ID!, $reason: String!) {\n    refuseMembershipRequest(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ProofLink($residenceId: ID!) {\n    proofLink(residenceId: $residenceId) {\n      url\n      expiresAt\n    }\n  }\n',
): (typeof documents)['\n  mutation ProofLink($residenceId: ID!) {\n    proofLink(residenceId: $residenceId) {\n      url\n      expiresAt\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation DecideVerification(\n    $residenceId: ID!\n    $decision: VerificationDecision!\n    $reason: String\n    $comment: String\n  ) {\n    decideVerification(residenceId: $residenceId, decision: $decision, reason: $reason, comment: $comment) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation DecideVerification(\n    $residenceId: ID!\n    $decision: VerificationDecision!\n    $reason: String\n    $comment: String\n  ) {\n    decideVerification(residenceId: $residenceId, decision: $decision, reason: $reason, comment: $comment) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ReplySupport($id: ID!, $body: String!) {\n    replyToSupportRequest(id: $id, body: $body) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  mutation ReplySupport($id: ID!, $body: String!) {\n    replyToSupportRequest(id: $id, body: $body) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation HideContent($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    hideContent(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation HideContent($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    hideContent(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation DismissReports($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    dismissReports(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  mutation DismissReports($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {\n    dismissReports(contentId: $contentId, contentType: $contentType, reason: $reason) {\n      id\n    }\n  }\n'];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
