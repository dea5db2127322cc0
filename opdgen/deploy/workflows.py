"""CI workflows `opdgen init` writes: check, build with the cache, deploy, previews, nightly, hourly verify.

Text only (scaffold.py writes it). Secrets come from the CI's secret store, never from the repository:
DEPLOY_SSH_KEY (private key), DEPLOY_KNOWN_HOSTS (`ssh-keyscan` of the server), DEPLOY_TARGET
(`deploy@web.contohkab.go.id:/srv/www/{site}`), PREVIEW_TARGET (`deploy@web...:/srv/pratinjau`) and
PREVIEW_URL (`https://pratinjau.contohkab.go.id`). Comments are for the region's admins: Indonesian.
"""

from __future__ import annotations

NIGHTLY = "0 17 * * *"  # 00.00 WIB: publish posts scheduled for the new day
HOURLY = "17 * * * *"  # every hour: is production still exactly the build?

_RSH = '--rsh "ssh -i $HOME/.ssh/id_deploy -o BatchMode=yes"'
_SSH_SETUP = """\
          install -m 700 -d ~/.ssh
          printf '%s\\n' "$DEPLOY_SSH_KEY" > ~/.ssh/id_deploy
          chmod 600 ~/.ssh/id_deploy
          printf '%s\\n' "$DEPLOY_KNOWN_HOSTS" > ~/.ssh/known_hosts"""

_SETUP = """\
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install opdgen"""

def _cache(job: str = "") -> str:
    """The actions/cache step; `job`: a split job's own cache (one agency's, or the portal's), which
    its `opdgen build --prune-cache` keeps to what that job reads."""
    name = f"opdgen-cache-{job}-" if job else "opdgen-cache-"
    return f"""\
      - uses: actions/cache@v4
        with:  # not .opdgen-cache/stamps: a checkout's files are new to it, so they never match
          path: |
            .opdgen-cache/cache.sqlite
            .opdgen-cache/images
          key: {name}${{{{ github.ref_name }}}}-${{{{ github.sha }}}}
          restore-keys: |
            {name}${{{{ github.ref_name }}}}-
            {name}main-"""


_CACHE = _cache()
_CACHE_SITE = _cache("situs-${{ matrix.site }}")  # each agency's job: its own cache
_CACHE_PORTAL = _cache("portal")

_SECRETS_ENV = """\
        env:
          DEPLOY_SSH_KEY: ${{ secrets.DEPLOY_SSH_KEY }}
          DEPLOY_KNOWN_HOSTS: ${{ secrets.DEPLOY_KNOWN_HOSTS }}"""

_VERIFY_LOOP = """\
          gagal=0
          for m in output/.opdgen/*/manifest.json; do
            situs=$(basename "$(dirname "$m")")
            alamat=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$m")
            opdgen verify --site "$situs" "$alamat" || gagal=1
          done
          exit $gagal"""

GITHUB_JOBS = f"""\
  check:
    # opdgen check --strict pada setiap push dan pull request
    if: github.event_name == 'push' || github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
{_SETUP}
      - run: opdgen check --strict
  sites:
    # Daftar OPD, dan apakah dibagi per OPD (OPDGEN_SPLIT di bagian env di atas).
    if: github.event_name != 'schedule' || github.event.schedule == '{NIGHTLY}'
    runs-on: ubuntu-latest
    outputs:
      list: ${{{{ steps.list.outputs.list }}}}
      split: ${{{{ steps.list.outputs.split }}}}
    steps:
      - uses: actions/checkout@v4
      - id: list
        run: |
          echo "list=$(ls content/*/site.yaml | cut -d/ -f2 | jq -R . | jq -cs .)" >> "$GITHUB_OUTPUT"
          echo "split=$OPDGEN_SPLIT" >> "$GITHUB_OUTPUT"
  build:
    # Bangun seluruh daerah (cache gambar dipulihkan); bangun ulang setiap malam.
    needs: sites
    if: >-
      needs.sites.outputs.split != 'true' || github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
{_SETUP}
{_CACHE}
      - run: opdgen build
      - uses: actions/upload-artifact@v4
        with:
          name: situs
          path: output/
          include-hidden-files: true   # output/.opdgen (manifest) dan .well-known/
  deploy:
    # Cabang utama: unggah rilis baru, tayangkan seketika, periksa salinan di server.
    needs: build
    if: github.event_name != 'pull_request' && github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    environment: production
    concurrency:
      group: opdgen-deploy
      cancel-in-progress: false
    steps:
{_SETUP}
      - uses: actions/download-artifact@v4
        with:
          name: situs
          path: output/
      - name: Kunci SSH dari rahasia CI
{_SECRETS_ENV}
        run: |
{_SSH_SETUP}
      - run: opdgen deploy --all --to "$DEPLOY_TARGET" {_RSH}
        env:
          DEPLOY_TARGET: ${{{{ secrets.DEPLOY_TARGET }}}}
      - uses: actions/cache/save@v4   # manifest rilis yang tayang, untuk pemeriksaan setiap jam
        with:
          path: output/.opdgen
          key: opdgen-tayang-${{{{ github.run_id }}}}
  preview:
    # Pratinjau setiap pull request di PREVIEW_URL/pr-NOMOR/SITUS/ (hanya dari repositori ini, bukan fork).
    needs: build
    if: >-
      github.event_name == 'pull_request'
      && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
{_SETUP}
      - uses: actions/download-artifact@v4
        with:
          name: situs
          path: output/
      - name: Kunci SSH dari rahasia CI
{_SECRETS_ENV}
        run: |
{_SSH_SETUP}
      - name: Unggah pratinjau dan kirim alamatnya
        env:
          PREVIEW_TARGET: ${{{{ secrets.PREVIEW_TARGET }}}}
          PREVIEW_URL: ${{{{ secrets.PREVIEW_URL }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
          GH_TOKEN: ${{{{ github.token }}}}
        run: |
          opdgen deploy --all --keep 1 --to "$PREVIEW_TARGET/pr-$PR/{{site}}" \\
            {_RSH}
          gh pr comment "$PR" --body "Pratinjau: $PREVIEW_URL/pr-$PR/portal/current/"
  verify:
    # Setiap jam: apakah situs yang tayang masih sama persis dengan rilis terakhir? Gagal bila diubah orang.
    if: github.event.schedule == '{HOURLY}'
    runs-on: ubuntu-latest
    steps:
{_SETUP}
      - uses: actions/cache/restore@v4
        with:
          path: output/.opdgen
          key: opdgen-tayang-none
          restore-keys: opdgen-tayang-
          fail-on-cache-miss: true
      - run: |
{_VERIFY_LOOP}
  site:
    # Daerah besar (ratusan OPD), OPDGEN_SPLIT: "true": setiap OPD dibangun dan di-deploy dalam job
    # paralel sendiri, ditambah satu job portal.
    needs: sites
    if: >-
      needs.sites.outputs.split == 'true' && github.event_name != 'pull_request'
      && github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      max-parallel: 20
      matrix:
        site: ${{{{ fromJSON(needs.sites.outputs.list) }}}}
    steps:
{_SETUP}
{_CACHE_SITE}
      # portal dibangun oleh job-nya sendiri; cache job ini hanya menyimpan yang dipakai OPD ini
      - run: opdgen build --site "${{{{ matrix.site }}}}" --no-portal --prune-cache
      - name: Kunci SSH dari rahasia CI
{_SECRETS_ENV}
        run: |
{_SSH_SETUP}
      - run: opdgen deploy --site "${{{{ matrix.site }}}}" --to "$DEPLOY_TARGET" {_RSH}
        env:
          DEPLOY_TARGET: ${{{{ secrets.DEPLOY_TARGET }}}}
  portal:
    needs: sites
    if: >-
      needs.sites.outputs.split == 'true' && github.event_name != 'pull_request'
      && github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    steps:
{_SETUP}
{_CACHE_PORTAL}
      - run: opdgen build --site portal --prune-cache
      - name: Kunci SSH dari rahasia CI
{_SECRETS_ENV}
        run: |
{_SSH_SETUP}
      - run: opdgen deploy --site portal --to "$DEPLOY_TARGET" {_RSH}
        env:
          DEPLOY_TARGET: ${{{{ secrets.DEPLOY_TARGET }}}}
"""

GITHUB_TRIGGERS = f"""\
    - cron: "{NIGHTLY}"   # 00.00 WIB: bangun ulang dan deploy, menerbitkan berita terjadwal
    - cron: "{HOURLY}"  # setiap jam: opdgen verify terhadap situs yang tayang (job verify)
"""

GITLAB = f"""\
# opdgen untuk GitLab CI: periksa setiap push dan merge request, bangun dengan cache, deploy cabang
# utama, pratinjau setiap merge request, bangun ulang setiap malam, periksa situs yang tayang setiap jam.
# Rahasia di Settings > CI/CD > Variables (Masked + Protected), tidak pernah di repositori:
#   DEPLOY_SSH_KEY, DEPLOY_KNOWN_HOSTS, DEPLOY_TARGET (deploy@web.contohkab.go.id:/srv/www/{{site}}),
#   PREVIEW_TARGET (deploy@web.contohkab.go.id:/srv/pratinjau), PREVIEW_URL (https://pratinjau.contohkab.go.id)
# Jadwal di Build > Pipeline schedules (zona Asia/Jakarta):
#   "malam"  0 0 * * *  (bangun ulang + deploy: menerbitkan berita terjadwal)
#   "verifikasi"  17 * * * *  dengan variabel OPDGEN_JOB=verify
# Daerah besar: set variabel OPDGEN_SPLIT=true; job "opd" membagi OPD ke 10 job paralel (parallel: 10).
stages: [check, build, deploy, verify]

default:
  image: python:3.12-slim
  before_script:
    - apt-get update -qq && apt-get install -y -qq rsync openssh-client git jq >/dev/null
    - pip install --quiet opdgen

.ssh:
  before_script:
    - apt-get update -qq && apt-get install -y -qq rsync openssh-client git >/dev/null
    - pip install --quiet opdgen
    - install -m 700 -d ~/.ssh
    - printf '%s\\n' "$DEPLOY_SSH_KEY" > ~/.ssh/id_deploy && chmod 600 ~/.ssh/id_deploy
    - printf '%s\\n' "$DEPLOY_KNOWN_HOSTS" > ~/.ssh/known_hosts

.cache:
  cache:
    key: opdgen-cache-$CI_COMMIT_REF_SLUG
    fallback_keys: [opdgen-cache-$CI_DEFAULT_BRANCH]
    paths: [.opdgen-cache/cache.sqlite, .opdgen-cache/images/]  # not stamps/: never valid in a fresh clone

check:
  stage: check
  rules:
    - if: $CI_PIPELINE_SOURCE == "push" || $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - opdgen check --strict

build:
  stage: build
  extends: .cache
  rules:
    - if: $OPDGEN_JOB == "verify"
      when: never
    - if: $OPDGEN_SPLIT == "true" && $CI_PIPELINE_SOURCE != "merge_request_event"
      when: never
    - when: on_success
  script:
    - opdgen build
  artifacts:
    paths: [output/]
    expire_in: 1 week

deploy:
  stage: deploy
  extends: .ssh
  needs: [build]
  resource_group: production
  environment:
    name: production
  rules:
    - if: $OPDGEN_JOB == "verify" || $OPDGEN_SPLIT == "true"
      when: never
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - opdgen deploy --all --to "$DEPLOY_TARGET" {_RSH}
  cache:
    key: opdgen-tayang
    paths: [output/.opdgen/]
    policy: push

preview:
  stage: deploy
  extends: .ssh
  needs: [build]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  environment:
    name: pratinjau/mr-$CI_MERGE_REQUEST_IID
    url: $PREVIEW_URL/mr-$CI_MERGE_REQUEST_IID/portal/current/
  script:
    - opdgen deploy --all --keep 1 --to "$PREVIEW_TARGET/mr-$CI_MERGE_REQUEST_IID/{{site}}" {_RSH}
    - echo "Pratinjau - $PREVIEW_URL/mr-$CI_MERGE_REQUEST_IID/portal/current/"

opd:
  stage: deploy
  extends: [.ssh, .cache]
  cache:  # cache sendiri untuk setiap job paralel: hanya yang dipakai OPD-nya (--prune-cache)
    key: opdgen-cache-opd-$CI_NODE_INDEX-$CI_COMMIT_REF_SLUG
    fallback_keys: [opdgen-cache-opd-$CI_NODE_INDEX-$CI_DEFAULT_BRANCH]
    paths: [.opdgen-cache/cache.sqlite, .opdgen-cache/images/]
  parallel: 10
  resource_group: production-$CI_NODE_INDEX
  rules:
    - if: $OPDGEN_SPLIT == "true" && $OPDGEN_JOB != "verify" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - semua=$(ls content/*/site.yaml | cut -d/ -f2)
    - situs=$(echo "$semua" | awk -v n="$CI_NODE_TOTAL" -v i="$CI_NODE_INDEX" '(NR-1) % n == i-1')
    - pilihan=$(printf -- '--site %s ' $situs)
    - opdgen build $pilihan --no-portal --prune-cache  # portal dibangun oleh job-nya sendiri
    - opdgen deploy $pilihan --to "$DEPLOY_TARGET" {_RSH}

portal:
  stage: deploy
  extends: [.ssh, .cache]
  cache:
    key: opdgen-cache-portal-$CI_COMMIT_REF_SLUG
    fallback_keys: [opdgen-cache-portal-$CI_DEFAULT_BRANCH]
    paths: [.opdgen-cache/cache.sqlite, .opdgen-cache/images/]
  resource_group: production-portal
  rules:
    - if: $OPDGEN_SPLIT == "true" && $OPDGEN_JOB != "verify" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - opdgen build --site portal --prune-cache
    - opdgen deploy --site portal --to "$DEPLOY_TARGET" {_RSH}

verify:
  stage: verify
  rules:
    - if: $OPDGEN_JOB == "verify"
  cache:
    key: opdgen-tayang
    paths: [output/.opdgen/]
    policy: pull
  script:
    - |
{_VERIFY_LOOP.replace("          ", "      ")}
"""

GITEA = f"""\
# opdgen untuk Gitea Actions dan Forgejo Actions (Forgejo: simpan berkas ini di .forgejo/workflows/).
# Periksa setiap push dan pull request, bangun dengan cache, deploy cabang utama, pratinjau setiap pull
# request, bangun ulang setiap malam, periksa situs yang tayang setiap jam.
# Rahasia di Settings > Actions > Secrets: DEPLOY_SSH_KEY, DEPLOY_KNOWN_HOSTS, DEPLOY_TARGET, PREVIEW_TARGET;
# dan PREVIEW_URL (alamat web folder pratinjau).
name: opdgen
on:
  push:
    branches: [main]
  pull_request:
  schedule:
    - cron: "{NIGHTLY}"
    - cron: "{HOURLY}"
  workflow_dispatch:
jobs:
  check:
    if: github.event_name == 'push' || github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
{_SETUP}
      - run: opdgen check --strict
  deploy:
    if: github.event_name != 'pull_request' && github.event.schedule != '{HOURLY}'
    runs-on: ubuntu-latest
    concurrency:
      group: opdgen-deploy
    steps:
{_SETUP}
{_CACHE}
      - run: opdgen build
      - name: Kunci SSH dari rahasia CI
{_SECRETS_ENV}
        run: |
{_SSH_SETUP}
      - run: opdgen deploy --all --to "$DEPLOY_TARGET" {_RSH}
        env:
          DEPLOY_TARGET: ${{{{ secrets.DEPLOY_TARGET }}}}
      - uses: actions/cache/save@v4
        with:
          path: output/.opdgen
          key: opdgen-tayang-${{{{ github.run_id }}}}
  preview:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
{_SETUP}
{_CACHE}
      - run: opdgen build
      - name: Kunci SSH dari rahasia CI
{_SECRETS_ENV}
        run: |
{_SSH_SETUP}
      - name: Unggah pratinjau
        env:
          PREVIEW_TARGET: ${{{{ secrets.PREVIEW_TARGET }}}}
          PREVIEW_URL: ${{{{ secrets.PREVIEW_URL }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
        run: |
          opdgen deploy --all --keep 1 --to "$PREVIEW_TARGET/pr-$PR/{{site}}" \\
            {_RSH}
          echo "Pratinjau: $PREVIEW_URL/pr-$PR/portal/current/" | tee -a "$GITHUB_STEP_SUMMARY"
  verify:
    if: github.event.schedule == '{HOURLY}'
    runs-on: ubuntu-latest
    steps:
{_SETUP}
      - uses: actions/cache/restore@v4
        with:
          path: output/.opdgen
          key: opdgen-tayang-none
          restore-keys: opdgen-tayang-
          fail-on-cache-miss: true
      - run: |
{_VERIFY_LOOP}
"""
