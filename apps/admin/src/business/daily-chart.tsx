/**
 * A small bar chart of one figure per day. The chart is a picture for sighted users; the same numbers are
 * available as a table for everyone else (and for anyone who wants the exact values).
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BusinessSummary } from '../api-types';
import { formatDay } from '../format';
import { Empty } from '../ui/query-states';

type Day = BusinessSummary['perDay'][number];

export function DailyChart({
  title,
  days,
  series,
  format,
}: {
  title: string;
  days: Day[];
  series: 'orders' | 'revenue';
  format: (value: number) => string;
}) {
  const total = days.reduce((sum, day) => sum + day[series], 0);
  return (
    <figure className="panel chart">
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      {days.length === 0 || total === 0 ? (
        <Empty>Nothing in this period.</Empty>
      ) : (
        <div
          role="img"
          aria-label={`${title}: ${format(total)} in ${days.length} days`}
          className="chart-area"
        >
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} stroke="#eaeef2" />
              <XAxis
                dataKey="day"
                tickFormatter={formatDay}
                tick={{ fontSize: 11, fill: '#656d76' }}
                tickLine={false}
                axisLine={{ stroke: '#d0d7de' }}
                minTickGap={16}
              />
              <YAxis
                tickFormatter={(value: number) => format(value)}
                tick={{ fontSize: 11, fill: '#656d76' }}
                tickLine={false}
                axisLine={false}
                width={series === 'revenue' ? 64 : 32}
                allowDecimals={false}
              />
              <Tooltip
                cursor={{ fill: 'rgba(9, 105, 218, 0.06)' }}
                labelFormatter={(label) => formatDay(String(label))}
                formatter={(value) => [format(Number(value)), title]}
              />
              <Bar
                dataKey={series}
                fill="#0969da"
                radius={[3, 3, 0, 0]}
                maxBarSize={28}
                // Figures appear at once: no growing bars every time the period changes.
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <details>
        <summary>{title} as a table</summary>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" className="numeric">
                {series === 'orders' ? 'Orders' : 'Revenue'}
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{formatDay(day.day)}</th>
                <td className="numeric">{format(day[series])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
