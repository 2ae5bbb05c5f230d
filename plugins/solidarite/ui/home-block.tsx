// On the home page: the CCAS agent is led to the register, with how many
// people it holds and how many are without news; a resident, to the page
// where they can join or volunteer.
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql, useI18n } from '@vigie/admin-ui/shell';

const SummaryDocument = graphql(`
  query SolHomeSummary {
    solRegister {
      id
      escalation
    }
    solPlan {
      id
      kind
    }
  }
`);

export function CcasHome() {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: SummaryDocument, requestPolicy: 'cache-and-network' });
  const people = data?.solRegister.length ?? 0;
  const noNews = data?.solRegister.filter((p) => p.escalation !== 'none').length ?? 0;
  return (
    <section className="card" aria-labelledby="sol-home">
      <h2 id="sol-home">{t('sol.home.title')}</h2>
      {data ? (
        <p>
          {t('sol.home.people', { count: people })}
          {noNews > 0 ? <strong> {t('sol.home.noNews', { count: noNews })}</strong> : null}
          {data.solPlan ? <> {t('sol.home.plan', { kind: t(`sol.kind.${data.solPlan.kind}`) })}</> : null}
        </p>
      ) : null}
      <p>
        <Link to="/ccas" className="btn">
          {t('sol.home.open')}
        </Link>
      </p>
    </section>
  );
}

export function ResidentHome() {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="sol-home-resident">
      <h2 id="sol-home-resident">{t('sol.home.residentTitle')}</h2>
      <p>{t('sol.home.residentText')}</p>
      <p>
        <Link to="/solidarite" className="btn secondary">
          {t('sol.home.residentOpen')}
        </Link>
      </p>
    </section>
  );
}
