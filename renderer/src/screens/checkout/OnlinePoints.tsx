// The member panel's second line: the member's online points and level on each linked shop
// (memberLinks.forMember). Loaded after the member is shown, in the background: the scan and the
// sale never wait for it, a failed call shows nothing, and a member not linked online shows nothing.
import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OnlineMembershipView } from '../../../../shared/api/member-links';
import { call } from '../../api/client';

export const OnlinePoints = memo(function OnlinePoints({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<OnlineMembershipView[]>([]);
  useEffect(() => {
    let live = true;
    setRows([]);
    call('memberLinks.forMember', { memberId }).then(
      (r) => live && setRows(r),
      () => undefined, // the local member is enough; the online figure is a courtesy
    );
    return () => {
      live = false;
    };
  }, [memberId]);
  if (rows.length === 0) return null;
  return (
    <span className="member-meta member-online" data-testid="member-online">
      {rows.map((r, i) => (
        <span key={`${r.platform}/${r.customerId}`} data-testid={`member-online-${r.platform}`}>
          {i > 0 && ' · '}
          {t('sync.onlineMember.line', {
            platform: t(`sync.platform.${r.platform}`, { defaultValue: r.platform }),
            points: r.points ?? '—', // already counts entries the platform has not confirmed
          })}
          {r.level ? ` · ${r.level}` : ''}
        </span>
      ))}
    </span>
  );
});
