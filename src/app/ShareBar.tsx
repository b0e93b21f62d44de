import { ShareNotices } from '../components/share/ShareNotices';
import { dismissShareNotices, stopLinkTraining, useShareUi } from './useShareUrl';

/** What the link the page was opened with could not do, and its progress while it trains. */
export function ShareBar() {
  const notices = useShareUi((s) => s.notices);
  const progress = useShareUi((s) => s.progress);
  return (
    <ShareNotices
      notices={notices}
      progress={progress}
      onDismiss={dismissShareNotices}
      onStop={stopLinkTraining}
    />
  );
}
