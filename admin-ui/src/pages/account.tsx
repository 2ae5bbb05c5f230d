// My account: where each part of the account lives.
import { Link } from 'react-router';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { isStaff } from './staff.js';

export default function AccountPage() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me) return null;
  const links = [
    {
      to: '/compte/verification',
      label: 'account.verification',
      done: me.emailVerified && (!me.phone || me.phoneVerified),
    },
    { to: '/mon-adresse', label: 'account.address' },
    { to: '/preferences', label: 'account.preferences' },
    { to: '/notifications', label: 'account.notifications' },
    { to: '/mes-donnees', label: 'account.data' },
    ...(isStaff(me.roles) || me.secondFactor !== 'none'
      ? [
          {
            to: '/compte/double-authentification',
            label: 'account.twoFactor',
            done: me.secondFactor !== 'none',
          },
        ]
      : []),
  ];
  return (
    <Page title={t('account.title')}>
      <p>
        {me.displayName} · {me.email}
      </p>
      <ul className="grid list">
        {links.map((l) => (
          <li key={l.to} className="card">
            <Link to={l.to}>{t(l.label)}</Link>
            {l.done === false ? <p className="meta">{t('account.todo')}</p> : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}
