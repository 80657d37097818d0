// The AWS collector: for each account (the default credentials' own, or each assumed role) collects costs
// (Cost Explorer), inventory (EC2, S3, RDS) and metrics (CloudWatch) per region. A failing part (one
// account's costs, one region) is reported as partial and the rest goes on; all parts failing fails the run.

import type { CollectContext, Source } from '../../core/source.ts';
import { assumedAccount, callerAccount, regionsOf, type AwsAccount } from './accounts.ts';
import { baseCredentials, createClientPool, loadAwsSdk } from './client.ts';
import type { AwsConfig } from './config.ts';
import { PartRunner } from '../_common/part-runner.ts';
import { collectCosts } from './collect-costs.ts';
import {
  collectBuckets,
  collectDatabases,
  collectInstances,
  type InstanceTypeCache,
  type MonitoredDatabase,
  type MonitoredInstance,
} from './collect-inventory.ts';
import { collectMetrics } from './collect-metrics.ts';
import type { KnownInstance } from './map-resource-costs.ts';

/** Creates the AWS source for one provider block. */
export function createAwsSource(config: AwsConfig): Source {
  // DescribeInstanceTypes answers never change: kept for the life of the source.
  const instanceTypes: InstanceTypeCache = new Map();
  return {
    async collect(context: CollectContext): Promise<void> {
      const sdk = await loadAwsSdk();
      const pool = createClientPool(sdk, config, process.env, {
        provider: context.provider,
        maxResponseBytes: context.http.maxResponseBytes,
      });
      const parts = new PartRunner(context);
      try {
        const base = await baseCredentials(config);
        const accounts: AwsAccount[] = [];
        if (config.accounts.length === 0) {
          const own = await parts.run('sts:GetCallerIdentity', () => callerAccount(context, pool, base, config));
          if (own) accounts.push(own);
        } else {
          for (const account of config.accounts) {
            const assumed = await parts.run(`account ${account.role_arn}`, () =>
              assumedAccount(context, pool, base, config, account),
            );
            if (assumed) accounts.push(assumed);
          }
        }
        // Cost Explorer bills every request: between cost intervals the runtime asks for no billing calls at all.
        const wantCosts = config.costs && context.collectCosts;
        let costsComplete = wantCosts && accounts.length === (config.accounts.length || 1);
        for (const account of accounts) {
          const label = `account ${account.accountId}`;
          // Inventory comes first: resource-level cost rows are joined to it for their GPU model and count.
          const known = new Map<string, KnownInstance>();
          if (config.inventory || config.metrics || (wantCosts && config.resource_costs)) {
            const regions = await parts.run(`${label} regions`, () => regionsOf(context, pool, account, config));
            if (config.inventory) await parts.run(`${label} s3 buckets`, () => collectBuckets(context, pool, account));
            for (const region of regions ?? []) {
              // Instances and databases are listed for metrics even when inventory rows are not wanted.
              const instances = await parts.run<MonitoredInstance[]>(`${label} ${region} ec2 instances`, () =>
                collectInstances(context, pool, account, region, instanceTypes, config.inventory, known),
              );
              if (!config.inventory && !config.metrics) continue;
              const databases = await parts.run<MonitoredDatabase[]>(`${label} ${region} rds instances`, () =>
                collectDatabases(context, pool, account, region, config.inventory),
              );
              if (config.metrics) {
                await parts.run(`${label} ${region} cloudwatch metrics`, () =>
                  collectMetrics(context, pool, account, region, config, {
                    instances: instances ?? [],
                    databases: databases ?? [],
                  }),
                );
              }
            }
          }
          if (wantCosts) {
            const pages = await parts.run(`${label} costs`, () => collectCosts(context, pool, account, config, known));
            if (pages === undefined) costsComplete = false;
            else
              context.log.debug(
                { provider: context.provider, account: account.accountId, pages },
                'Cost Explorer window collected',
              );
          }
        }
        if (costsComplete) await context.emit.costWindowComplete(context.costWindow, 'billing_api');
        parts.throwIfNothingWorked();
      } finally {
        pool.destroy();
      }
    },
    async shutdown(): Promise<void> {
      instanceTypes.clear();
    },
  };
}
