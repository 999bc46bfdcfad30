// The workspace's typed ad-server events. The code is generated from schemas/ (a build output under
// generated/, never committed); run `npx nx run @adlake/events:generate` or any target that depends on it.
export * from '../../../generated/com.acme.adserver/index.ts';
