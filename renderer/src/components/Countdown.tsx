import { formatRemaining } from '../format';
import { useNow } from './use-now';

export function Countdown({ until, prefix = '' }: { until: number; prefix?: string }) {
  const now = useNow();
  return (
    <time dateTime={new Date(until).toISOString()}>
      {prefix}
      {formatRemaining(until - now)}
    </time>
  );
}
