// The workspace's typed ad-server events. The code is generated from schemas/ (a build output under
// libs/events/generated/, never committed); `npx nx run @adlake/events:generate`, or any target that
// depends on this project, produces it.
export * from '../generated/com.acme.adserver/index.ts';
