// Image references as containerd shows them (distribution/reference's normalisation), and the
// deterministic digests and sizes the fake reports.
import assert from 'node:assert/strict'
import { imageRef, imageSize, normalizeImage, parseImage } from '../../src/runtime/images.ts'
import { RuntimeError } from '../../src/runtime/runtime.ts'

const DIGEST = `sha256:${'ab'.repeat(32)}`

describe('images', () => {
  describe('normalizeImage', () => {
    for (const [input, expected] of [
      ['nginx', 'docker.io/library/nginx:latest'],
      ['nginx:1.27', 'docker.io/library/nginx:1.27'],
      ['library/nginx', 'docker.io/library/nginx:latest'],
      ['myrepo/app', 'docker.io/myrepo/app:latest'],
      ['docker.io/nginx', 'docker.io/library/nginx:latest'],
      ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
      ['ghcr.io/x/y:tag', 'ghcr.io/x/y:tag'],
      ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
      ['localhost/app', 'localhost/app:latest'],
      ['localhost:5000/team/app:v2', 'localhost:5000/team/app:v2'],
      ['rancher/mirrored-pause:3.6', 'docker.io/rancher/mirrored-pause:3.6'],
      [`nginx@${DIGEST}`, `docker.io/library/nginx@${DIGEST}`],
      [`nginx:1.27@${DIGEST}`, `docker.io/library/nginx:1.27@${DIGEST}`],
    ]) {
      it(`${input} → ${expected}`, () => assert.equal(normalizeImage(input), expected))
    }

    for (const [input, why] of [
      ['', 'empty'],
      ['Nginx', 'upper case repository'],
      ['nginx:', 'empty tag'],
      ['nginx:bad tag', 'space in tag'],
      ['nginx@sha256:abc', 'short digest'],
      ['-nginx', 'component starting with a dash'],
      ['a//b', 'empty component'],
    ]) {
      it(`refuses "${input}" (${why}) with InvalidImageName, as the kubelet does`, () => {
        assert.throws(() => parseImage(input), (err: unknown) => {
          assert.ok(err instanceof RuntimeError)
          assert.equal(err.reason, 'InvalidImageName')
          assert.match(err.message, new RegExp(`^Failed to apply default image tag "${input.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": couldn't parse image name`))
          return true
        })
      })
    }

    it('says an upper-case repository must be lowercase', () => {
      assert.throws(() => parseImage('Nginx'), /repository name \(library\/Nginx\) must be lowercase/)
    })
  })

  describe('imageRef', () => {
    it('is the repository at a sha256 digest derived from the normalised name', () => {
      assert.match(imageRef('nginx'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/)
      assert.equal(imageRef('nginx'), imageRef('docker.io/library/nginx:latest'))
      assert.notEqual(imageRef('nginx:1.27'), imageRef('nginx:latest'))
    })

    it('keeps the digest a reference already has', () => {
      assert.equal(imageRef(`ghcr.io/x/y:1@${DIGEST}`), `ghcr.io/x/y@${DIGEST}`)
    })
  })

  describe('imageSize', () => {
    it('is deterministic and plausible: near the real size for well-known images, 5–150 MB otherwise', () => {
      assert.equal(imageSize('nginx:1.27'), imageSize('docker.io/library/nginx:1.27'))
      const nginx = imageSize('nginx')
      assert.ok(nginx > 68e6 && nginx < 76e6, String(nginx))
      const other = imageSize('ghcr.io/x/y:tag')
      assert.ok(Number.isInteger(other) && other >= 5e6 && other <= 150e6, String(other))
    })
  })
})
