import { createRoute, z } from '@hono/zod-openapi';
import {
  CampaignHoldout,
  ConversionInput,
  ConversionResult,
  Experiment,
  ExperimentInput,
  ExperimentPatch,
  ExperimentResults,
  ExposureResult,
  MemberExperiment,
} from '../../schema/api/experiments.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const security = bearer;
const admin = ['Admin: experiments'];
const member = ['Experiments'];
const experimentParam = z.object({ experimentId: idParam('experimentId', 'exp_3f9c0a1b2c3d4e5f6a7b') });
const keyParam = z.object({
  key: z
    .string()
    .min(1)
    .max(60)
    .openapi({ param: { name: 'key', in: 'path' }, example: 'menu_layout' }),
});

export const createExperimentRoute = createRoute({
  method: 'post',
  path: '/v1/admin/experiments',
  operationId: 'admin.createExperiment',
  tags: admin,
  security,
  summary: 'Create an experiment: a page flag, a campaign coupon or a recommendation strategy, with weighted variants',
  description:
    'Members are assigned by a hash of the experiment and the member (sticky); the variant a member is first ' +
    'exposed to is recorded and kept whatever the weights become. A key the brand already has is 409 ' +
    '`experiment.key_taken`.',
  request: { body: jsonBody(ExperimentInput) },
  responses: { 201: jsonOk(Experiment, 'Created'), ...writeErrors },
});

export const listExperimentsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/experiments',
  operationId: 'admin.listExperiments',
  tags: admin,
  security,
  summary: "The brand's experiments, newest first",
  responses: { 200: jsonOk(z.object({ experiments: z.array(Experiment) })), ...readErrors },
});

export const getExperimentRoute = createRoute({
  method: 'get',
  path: '/v1/admin/experiments/{experimentId}',
  operationId: 'admin.getExperiment',
  tags: admin,
  security,
  summary: 'One experiment',
  request: { params: experimentParam },
  responses: { 200: jsonOk(Experiment), ...readErrors },
});

export const patchExperimentRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/experiments/{experimentId}',
  operationId: 'admin.updateExperiment',
  tags: admin,
  security,
  summary: 'Rename an experiment, start or stop it, or change its weights (exposed members keep their variant)',
  description: 'Status moves draft → running → stopped; any other move is 409 `experiment.invalid_status`.',
  request: { params: experimentParam, body: jsonBody(ExperimentPatch) },
  responses: { 200: jsonOk(Experiment), ...writeErrors },
});

export const experimentResultsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/experiments/{experimentId}/results',
  operationId: 'admin.getExperimentResults',
  tags: admin,
  security,
  summary: 'Per variant: exposed, converted, rate with its 95 % Wilson interval, and the difference from the control',
  description:
    'The control is the first variant. The difference’s interval is Newcombe’s hybrid score interval (method 10), ' +
    'built from the two Wilson intervals; an interval that excludes 0 is a difference at the 5 % level.',
  request: { params: experimentParam },
  responses: { 200: jsonOk(ExperimentResults), ...readErrors },
});

export const getHoldoutRoute = createRoute({
  method: 'get',
  path: '/v1/admin/campaign-holdout',
  operationId: 'admin.getCampaignHoldout',
  tags: admin,
  security,
  summary: "The brand's campaign holdout: the share of members no campaign sends anything to",
  responses: { 200: jsonOk(CampaignHoldout), ...readErrors },
});

export const putHoldoutRoute = createRoute({
  method: 'put',
  path: '/v1/admin/campaign-holdout',
  operationId: 'admin.setCampaignHoldout',
  tags: admin,
  security,
  summary: "Set the brand's campaign holdout (0 switches it off); the same members stay held out across campaigns",
  request: { body: jsonBody(CampaignHoldout) },
  responses: { 200: jsonOk(CampaignHoldout), ...writeErrors },
});

export const myExperimentsRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/experiments',
  operationId: 'experiments.listMine',
  tags: member,
  security,
  summary: "The member's variant of each running experiment (what the guest app reads for its page flags)",
  description: 'Reading is not exposure: post `/exposure` when the member actually sees the variant.',
  responses: { 200: jsonOk(z.object({ experiments: z.array(MemberExperiment) })), ...readErrors },
});

export const exposureRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/experiments/{key}/exposure',
  operationId: 'experiments.createExposure',
  tags: member,
  security,
  summary: 'The member saw their variant: recorded once (later calls answer the first), fixing the variant',
  description: 'An experiment that is not running is 409 `experiment.not_running`.',
  request: { params: keyParam },
  responses: { 200: jsonOk(ExposureResult), ...writeErrors },
});

export const conversionRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/experiments/{key}/conversion',
  operationId: 'experiments.createConversion',
  tags: member,
  security,
  summary: "The member did the experiment's conversion event: counted once, after exposure and within the window",
  description:
    'Experiments that convert on completed orders count those themselves: posting here is 409 ' +
    '`experiment.conversion_not_explicit`.',
  request: { params: keyParam, body: jsonBody(ConversionInput) },
  responses: { 200: jsonOk(ConversionResult), ...writeErrors },
});
